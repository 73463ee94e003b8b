using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Contracts.Policy;
using MsMano.Environments.IdNet;
using MsMano.Environments.Policy;
using MsMano.Evaluation.Baselines;
using MsMano.Evaluation.Datasets.PoseFiles;
using Serilog;

namespace MsMano.Evaluation.BioPr;

/// <summary>
/// The BioPR simulation-in-the-loop pass (paper Sec. 4.2, Fig. 4), batched across sequences: one
/// <see cref="HandBatch"/> agent per sequence, all agents stepping in lockstep over frames. For each transition
/// i → i+1: the skeleton is set to the predicted joint angles p_i (limit-clamped) and finite-difference rates v_i (or,
/// with <see cref="BioPrOptions.Feedback"/>, to the refined pose of frame i and, by default, the rates the simulation
/// reached, so the hand carries its own physical state); IDNet's mean action for the observation
/// [p_i | v_i | p_{i+1} | v_{i+1}] gives the excitations (a / 2 + 1/2, as in training); the hand steps with muscles only
/// (PD off) for one frame interval (see <see cref="FrameTiming"/>); the reached angles are the reference pose
/// p_ref_{i+1}. A refiner then maps (p_pred_{i+1}, p_ref_{i+1}) to the refined pose. Nothing is allocated per frame.
/// One runner is not thread-safe.
/// </summary>
public sealed class BioPrRunner
{
    private const int Dofs = PoseAngles.AngleCount;
    private const int PoseSize = PoseAngles.PoseSize;
    private static readonly ILogger Log = Serilog.Log.ForContext<BioPrRunner>();

    private readonly HandPlant _plant;
    private readonly PoseAngles _poses;
    private readonly PolicyRunner _policy;
    private readonly bool _includeWrist;

    public BioPrRunner(HandPlant plant, PoseAngles poses, PolicySnapshot policy, BioPrOptions? options = null)
    {
        _plant = plant ?? throw new ArgumentNullException(nameof(plant));
        _poses = poses ?? throw new ArgumentNullException(nameof(poses));
        ArgumentNullException.ThrowIfNull(policy);
        Options = (options ?? new BioPrOptions()).Validate();
        if (plant.DofCount != Dofs)
        {
            throw new ArgumentException($"BioPR needs the fixed-wrist hand with {Dofs} dofs; the plant has {plant.DofCount}.", nameof(plant));
        }

        if (policy.ActionSize != plant.MuscleCount)
        {
            throw new ArgumentException($"policy version {policy.Version} outputs {policy.ActionSize} excitations; the plant has {plant.MuscleCount} muscles.", nameof(policy));
        }

        _includeWrist = policy.ObservationSize == IdNetObservation.Size(includeWrist: true) ? true
            : policy.ObservationSize == IdNetObservation.Size(includeWrist: false) ? false
            : throw new ArgumentException(
                $"policy version {policy.Version} reads {policy.ObservationSize} numbers; an IDNet observation has {IdNetObservation.Size(true)} (with wrist) or {IdNetObservation.Size(false)}.",
                nameof(policy));
        _policy = new PolicyRunner(policy, Options.BatchSize);
    }

    public BioPrOptions Options { get; }

    public long PolicyVersion => _policy.Version;

    /// <summary>Swaps in newer weights of the same shape.</summary>
    public void LoadPolicy(PolicySnapshot policy) => _policy.Load(policy);

    /// <summary>
    /// Runs BioPR over predicted sequences. With a <paramref name="refiner"/> every output carries refined poses;
    /// <see cref="BioPrOptions.Feedback"/> needs one. <paramref name="onFrame"/> is told the number of sequence-frames
    /// finished after every lockstep frame (for progress bars).
    /// </summary>
    public IReadOnlyList<BioPrOutput> Run(
        IReadOnlyList<PoseSequence> predicted,
        IPoseRefiner? refiner = null,
        Action<int>? onFrame = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        if (Options.Feedback && refiner is null)
        {
            throw new ArgumentException("BioPR feedback feeds the refined pose back into the simulator, so it needs a refiner.", nameof(refiner));
        }

        var outputs = new BioPrOutput[predicted.Count];
        // Sequences with one frame rate share a batch (one simulation step length per batch).
        foreach (IGrouping<double, int> group in Enumerable.Range(0, predicted.Count).GroupBy(i => predicted[i].Fps))
        {
            var timing = FrameTiming.For(group.Key, Options);
            int[] members = group.ToArray();
            for (int start = 0; start < members.Length; start += Options.BatchSize)
            {
                int[] chunk = members.AsSpan(start, Math.Min(Options.BatchSize, members.Length - start)).ToArray();
                Track[] tracks = chunk.Select(i => Prepare(predicted[i], refiner)).ToArray();
                RunBatch(tracks, timing, refiner, onFrame, cancellation);
                for (int k = 0; k < chunk.Length; k++)
                {
                    Track t = tracks[k];
                    outputs[chunk[k]] = new BioPrOutput(predicted[chunk[k]].Name, t.Fps, t.Reference, refiner is null ? null : t.Refined, t.NonFinite);
                }
            }
        }

        int nonFinite = outputs.Sum(o => o.NonFiniteFrames);
        if (nonFinite > 0)
        {
            Log.Warning("BioPR: {Count} transitions went non-finite in simulation and fell back to the prediction", nonFinite);
        }

        return outputs;
    }

    private void RunBatch(Track[] tracks, FrameTiming timing, IPoseRefiner? refiner, Action<int>? onFrame, CancellationToken cancellation)
    {
        int agents = tracks.Length;
        var batch = new HandBatch(_plant, agents, timing.Simulation)
        {
            MusclesApplied = true,
            PdEnabled = false,
        };
        int obsSize = _policy.ObservationSize;
        int muscles = _plant.MuscleCount;
        float[] observations = new float[agents * obsSize];
        float[] actions = new float[agents * muscles];
        float[] current = new float[agents * Dofs];
        float[] currentRate = new float[agents * Dofs];
        float[] target = new float[agents * Dofs];
        float[] targetRate = new float[agents * Dofs];
        float[] wrist = new float[agents * 12]; // per agent: root, root rate, target root, target root rate
        float[] reached = new float[agents * Dofs];
        float[] reachedRates = new float[agents * Dofs];
        bool[] active = new bool[agents];
        int steps = timing.ControlStepsPerFrame;
        int lastFrame = tracks.Max(t => t.Frames) - 1;

        for (int i = 0; i < lastFrame; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            int activeCount = 0;
            for (int a = 0; a < agents; a++)
            {
                active[a] = i < tracks[a].Frames - 1;
                activeCount += active[a] ? 1 : 0;
            }

            SetSkeleton(batch, tracks, active, i);
            for (int s = 0; s < steps; s++)
            {
                WriteObservations(batch, tracks, active, i, (double)s / steps, (double)(s + 1) / steps, current, currentRate, target, targetRate, wrist, observations);
                _policy.EvaluateMean(observations, actions);
                for (int m = 0; m < muscles; m++)
                {
                    Span<float> excitation = batch.Excitations(m);
                    for (int a = 0; a < agents; a++)
                    {
                        float x = actions[(a * muscles) + m];
                        // A non-finite action (broken weights) relaxes the muscle instead of poisoning the physics.
                        excitation[a] = active[a] && float.IsFinite(x) ? (Math.Clamp(x, -1f, 1f) * 0.5f) + 0.5f : 0f;
                    }
                }

                batch.Step();
            }

            for (int d = 0; d < Dofs; d++)
            {
                Span<float> angles = batch.Angles(d);
                Span<float> rates = batch.Velocities(d);
                for (int a = 0; a < agents; a++)
                {
                    reached[(a * Dofs) + d] = angles[a];
                    reachedRates[(a * Dofs) + d] = rates[a];
                }
            }

            for (int a = 0; a < agents; a++)
            {
                if (active[a])
                {
                    Finish(batch, tracks[a], a, i + 1, reached.AsSpan(a * Dofs, Dofs), reachedRates.AsSpan(a * Dofs, Dofs), refiner);
                }
            }

            onFrame?.Invoke(activeCount);
        }

        if (refiner is not null && !Options.Feedback)
        {
            foreach (Track t in tracks)
            {
                for (int f = 0; f < t.Frames; f++)
                {
                    refiner.Refine(t.Pred.AsSpan(f * PoseSize, PoseSize), t.Reference.AsSpan(f * PoseSize, PoseSize), t.Refined!.AsSpan(f * PoseSize, PoseSize));
                }
            }
        }
    }

    // Start of transition i: predicted (or fed-back) pose and the predicted rate; finished agents rest at their last pose.
    private void SetSkeleton(HandBatch batch, Track[] tracks, bool[] active, int i)
    {
        bool simulatedRates = Options.Feedback && Options.FeedbackVelocity == FeedbackVelocity.Simulated;
        for (int d = 0; d < Dofs; d++)
        {
            Span<float> angles = batch.Angles(d);
            Span<float> rates = batch.Velocities(d);
            for (int a = 0; a < tracks.Length; a++)
            {
                Track t = tracks[a];
                if (active[a])
                {
                    angles[a] = Options.Feedback ? t.Fed[d] : t.Angles[(i * Dofs) + d];
                    rates[a] = simulatedRates ? t.FedRate[d] : t.Rates[(i * Dofs) + d];
                }
                else
                {
                    angles[a] = t.Angles[((t.Frames - 1) * Dofs) + d];
                    rates[a] = 0f;
                }
            }
        }

        if (!Options.KeepActivations)
        {
            for (int m = 0; m < _plant.MuscleCount; m++)
            {
                batch.Activations(m).Clear();
            }
        }
    }

    // Observation for the control step from fraction u0 to u1 of the frame interval: the simulator's current state and
    // the predicted trajectory, linearly interpolated, at u1.
    private void WriteObservations(
        HandBatch batch, Track[] tracks, bool[] active, int i, double u0, double u1,
        float[] current, float[] currentRate, float[] target, float[] targetRate, float[] wrist, float[] observations)
    {
        int agents = tracks.Length;
        for (int d = 0; d < Dofs; d++)
        {
            Span<float> angles = batch.Angles(d);
            Span<float> rates = batch.Velocities(d);
            for (int a = 0; a < agents; a++)
            {
                current[(a * Dofs) + d] = angles[a];
                currentRate[(a * Dofs) + d] = rates[a];
            }
        }

        float w0 = (float)u0;
        float w1 = (float)u1;
        int obsSize = _policy.ObservationSize;
        for (int a = 0; a < agents; a++)
        {
            Track t = tracks[a];
            Span<float> tgt = target.AsSpan(a * Dofs, Dofs);
            Span<float> tgtRate = targetRate.AsSpan(a * Dofs, Dofs);
            Span<float> w = wrist.AsSpan(a * 12, 12);
            w.Clear();
            if (active[a])
            {
                Lerp(t.Angles.AsSpan(i * Dofs, Dofs), t.Angles.AsSpan((i + 1) * Dofs, Dofs), w1, tgt);
                Lerp(t.Rates.AsSpan(i * Dofs, Dofs), t.Rates.AsSpan((i + 1) * Dofs, Dofs), w1, tgtRate);
                if (Options.Wrist == BioPrWrist.Predicted)
                {
                    Lerp(t.Root.AsSpan(i * 3, 3), t.Root.AsSpan((i + 1) * 3, 3), w0, w[..3]);
                    Lerp(t.RootRate.AsSpan(i * 3, 3), t.RootRate.AsSpan((i + 1) * 3, 3), w0, w.Slice(3, 3));
                    Lerp(t.Root.AsSpan(i * 3, 3), t.Root.AsSpan((i + 1) * 3, 3), w1, w.Slice(6, 3));
                    Lerp(t.RootRate.AsSpan(i * 3, 3), t.RootRate.AsSpan((i + 1) * 3, 3), w1, w.Slice(9, 3));
                }
            }
            else
            {
                current.AsSpan(a * Dofs, Dofs).CopyTo(tgt);
                tgtRate.Clear();
            }

            IdNetObservation.Write(
                observations.AsSpan(a * obsSize, obsSize),
                _includeWrist,
                current.AsSpan(a * Dofs, Dofs),
                currentRate.AsSpan(a * Dofs, Dofs),
                tgt,
                tgtRate,
                w[..3],
                w.Slice(3, 3),
                w.Slice(6, 3),
                w.Slice(9, 3));
        }
    }

    // End of transition to frame f: store the reference, refine and feed back when asked.
    private void Finish(HandBatch batch, Track t, int agent, int f, Span<float> reached, Span<float> reachedRates, IPoseRefiner? refiner)
    {
        if (!AllFinite(reached) || !AllFinite(reachedRates))
        {
            // Broken physics for this agent: the prediction stands in, and its muscles start relaxed next frame.
            t.NonFinite++;
            t.Angles.AsSpan(f * Dofs, Dofs).CopyTo(reached);
            t.Rates.AsSpan(f * Dofs, Dofs).CopyTo(reachedRates);
            for (int m = 0; m < _plant.MuscleCount; m++)
            {
                batch.Activations(m)[agent] = 0f;
            }
        }

        Span<float> reference = t.Reference.AsSpan(f * PoseSize, PoseSize);
        // The simulated wrist is fixed, so the reference's global rotation is the (interpolated) input's.
        _poses.ToPose(reached, t.Root.AsSpan(f * 3, 3), reference);
        if (Options.Feedback)
        {
            Span<float> refined = t.Refined.AsSpan(f * PoseSize, PoseSize);
            refiner!.Refine(t.Pred.AsSpan(f * PoseSize, PoseSize), reference, refined);
            _poses.ToAngles(refined, t.Fed);
            if (Options.ClampToLimits)
            {
                Clamp(t.Fed);
            }

            reachedRates.CopyTo(t.FedRate);
        }
    }

    private Track Prepare(PoseSequence sequence, IPoseRefiner? refiner)
    {
        int frames = sequence.Frames;
        if (frames == 0)
        {
            throw new ArgumentException($"BioPR: sequence '{sequence.Name}' has no frames.", nameof(sequence));
        }

        for (int k = 0; k < sequence.Poses.Length; k++)
        {
            if (!float.IsFinite(sequence.Poses[k]))
            {
                throw new ArgumentException(
                    $"BioPR: sequence '{sequence.Name}' frame {k / PoseSize} pose[{k % PoseSize}] = {sequence.Poses[k]}; predicted poses must be finite.",
                    nameof(sequence));
            }
        }

        var t = new Track(sequence.Poses, frames, sequence.Fps, refiner is not null);
        for (int f = 0; f < frames; f++)
        {
            Span<float> angles = t.Angles.AsSpan(f * Dofs, Dofs);
            _poses.ToAngles(t.Pred.AsSpan(f * PoseSize, PoseSize), angles);
            if (Options.ClampToLimits)
            {
                Clamp(angles);
            }

            t.Pred.AsSpan(f * PoseSize, 3).CopyTo(t.Root.AsSpan(f * 3, 3));
        }

        if (Options.InputWindow > 0)
        {
            Interpolate(t.Angles, Dofs, frames, Options.InputWindow);
            Interpolate(t.Root, 3, frames, Options.InputWindow);
        }

        FiniteDifference.Rates(t.Angles, Dofs, frames, sequence.Fps, t.Rates);
        FiniteDifference.Rates(t.Root, 3, frames, sequence.Fps, t.RootRate);
        t.Rates.AsSpan(0, Dofs).CopyTo(t.FedRate);

        // Frame 0 has no transition into it: its reference is the (clamped) prediction itself.
        _poses.ToPose(t.Angles.AsSpan(0, Dofs), t.Root.AsSpan(0, 3), t.Reference.AsSpan(0, PoseSize));
        if (Options.Feedback)
        {
            refiner!.Refine(t.Pred.AsSpan(0, PoseSize), t.Reference.AsSpan(0, PoseSize), t.Refined.AsSpan(0, PoseSize));
            _poses.ToAngles(t.Refined.AsSpan(0, PoseSize), t.Fed);
            if (Options.ClampToLimits)
            {
                Clamp(t.Fed);
            }
        }

        // Frames never simulated (a one-frame sequence) keep the prediction as their reference.
        for (int f = 1; f < frames; f++)
        {
            t.Pred.AsSpan(f * PoseSize, PoseSize).CopyTo(t.Reference.AsSpan(f * PoseSize, PoseSize));
        }

        return t;
    }

    // Eq. 11's centred mean over the simulator's input curve, once per sequence (never per frame).
    private static void Interpolate(float[] values, int width, int frames, int window)
    {
        double[] smoothed = new TemporalSmoothing(window).Smooth(Array.ConvertAll(values, v => (double)v), frames, width);
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = (float)smoothed[k];
        }
    }

    private void Clamp(Span<float> angles)
    {
        ReadOnlySpan<float> lower = _plant.LowerLimits;
        ReadOnlySpan<float> upper = _plant.UpperLimits;
        for (int d = 0; d < Dofs; d++)
        {
            angles[d] = Math.Clamp(angles[d], lower[d], upper[d]);
        }
    }

    private static void Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float u, Span<float> result)
    {
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = a[k] + (u * (b[k] - a[k]));
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    // One sequence's working arrays, allocated once per run (frame-major: [frame * width + k]).
    private sealed class Track(float[] pred, int frames, double fps, bool refine)
    {
        public readonly float[] Pred = pred;
        public readonly int Frames = frames;
        public readonly double Fps = fps;
        public readonly float[] Angles = new float[frames * Dofs];
        public readonly float[] Rates = new float[frames * Dofs];
        public readonly float[] Root = new float[frames * 3];
        public readonly float[] RootRate = new float[frames * 3];
        public readonly float[] Reference = new float[frames * PoseSize];
        public readonly float[] Refined = refine ? new float[frames * PoseSize] : [];
        public readonly float[] Fed = new float[Dofs];
        public readonly float[] FedRate = new float[Dofs];
        public int NonFinite;
    }
}
