using MsMano.Biomechanics.Dynamics;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Motion;
using MsMano.Environments.Policy;

namespace MsMano.Environments.IdNet;

/// <summary>Who chooses the excitations when the muscles drive the hand.</summary>
public enum TrackingController
{
    /// <summary>The policy's mean action (deterministic IDNet).</summary>
    Policy,
    /// <summary>All muscles relaxed (excitation 0).</summary>
    Zero,
    /// <summary>Uniform random excitations in [0, 1] each step.</summary>
    Random,
}

/// <summary>Joint-angle tracking error of one controller over a set of clips, PD off, muscles driving.</summary>
public sealed record TrackingResult(TrackingController Controller, double MeanRmsDegrees, double FinalRmsDegrees, int Agents, int Steps, long NonFiniteResets, bool ResetEachStep = false);

/// <summary>
/// The test-mode check of IDNet (paper Sec. 5.4): each agent starts on a held-out clip, the controller's excitations
/// drive the muscles with the PD drive off, and the RMS joint-angle error against the reference is averaged over
/// every step and agent. Agents start at evenly spread clips and times, so every controller sees the same starts.
/// With <c>resetEachStep</c> every agent is put back on the reference before each step, so the error is that of one
/// 20 ms step from a correct state: how BioPR uses IDNet (it resets the simulator to each frame's pose).
/// </summary>
public static class TrackingEvaluation
{
    public static TrackingResult Run(
        HandPlant plant,
        IReadOnlyList<ReferenceMotion> motions,
        TrackingController controller,
        PolicySnapshot? policy,
        IdNetEnvironmentOptions options,
        int agents = 64,
        int steps = 50,
        ulong seed = 1,
        bool resetEachStep = false)
    {
        ArgumentNullException.ThrowIfNull(motions);
        if (controller == TrackingController.Policy && policy is null)
        {
            throw new ArgumentException("the Policy controller needs a policy snapshot.", nameof(policy));
        }
        var env = new IdNetEnvironment(plant, motions, agents, options with { Mode = EnvironmentMode.Test }, seed);
        double dt = options.Simulation.ControlStep;
        for (int n = 0; n < agents; n++)
        {
            int clip = n % motions.Count;
            double room = Math.Max(0, motions[clip].Duration - ((steps + 2) * dt));
            env.StartAt(n, clip, room * ((n / motions.Count) + 0.5) / Math.Max(1, (agents + motions.Count - 1) / motions.Count));
        }
        PolicyRunner? runner = policy is null ? null : new PolicyRunner(policy, agents);
        float[] observations = new float[agents * env.ObservationSize];
        float[] actions = new float[agents * env.ActionSize];
        float[] rewards = new float[agents];
        var flags = new TransitionFlags[agents];
        var random = new Random(unchecked((int)seed));
        double sum = 0;
        long count = 0;
        double last = 0;
        for (int t = 0; t < steps; t++)
        {
            if (resetEachStep && t > 0)
            {
                for (int n = 0; n < agents; n++)
                {
                    env.StartAt(n, env.Clip(n), env.ClipTime(n));
                }
            }
            switch (controller)
            {
                case TrackingController.Policy:
                    env.WriteObservations(observations);
                    runner!.EvaluateMean(observations, actions);
                    break;
                case TrackingController.Zero:
                    actions.AsSpan().Fill(-1f);
                    break;
                default:
                    for (int i = 0; i < actions.Length; i++)
                    {
                        actions[i] = (float)((random.NextDouble() * 2) - 1);
                    }
                    break;
            }
            env.Step(actions, rewards, flags);
            double stepSum = 0;
            int stepCount = 0;
            foreach (float e in env.TrackingErrors)
            {
                if (float.IsFinite(e))
                {
                    stepSum += e;
                    stepCount++;
                }
            }
            sum += stepSum;
            count += stepCount;
            last = stepCount > 0 ? stepSum / stepCount : double.NaN;
        }
        double toDegrees = 180.0 / Math.PI;
        return new TrackingResult(controller, count > 0 ? sum / count * toDegrees : double.NaN, last * toDegrees, agents, steps, env.NonFiniteResets, resetEachStep);
    }
}
