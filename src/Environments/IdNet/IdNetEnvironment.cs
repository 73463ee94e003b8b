using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Motion;
using MsMano.Environments.Policy;

namespace MsMano.Environments.IdNet;

/// <summary>
/// The IDNet muscle inverse-dynamics environment (paper Sec. 4.1; the authors' PMEnv) over one <see cref="HandBatch"/>.
/// Each agent walks a reference clip from a random start. Training: the PD drive with inverse-dynamics compensation
/// makes the hand follow the (noise-augmented) next reference frame while the muscle torques for the policy's
/// excitations are computed at the same states but not applied; reward exp(-w ||tau_pd - tau_m||). Test: PD off,
/// muscles drive, the score is how well the hand follows the reference. An agent whose clip ends is flagged
/// Terminated and restarted on a new clip; one whose state or torques go non-finite gets reward 0, Terminated, and
/// a restart, so NaN never leaves the environment.
/// </summary>
public sealed class IdNetEnvironment
{
    private const int Dofs = IdNetObservation.FingerDofs;

    private readonly IReadOnlyList<ReferenceMotion> _motions;
    private readonly Random _random;
    private GaussianRng _noise;
    private readonly float _dt;
    private readonly float _noiseStd;

    // Per agent: clip, time in clip (s), the reference now and the (augmented) target for the end of this step.
    private readonly int[] _clip;
    private readonly double[] _time;
    private readonly float[] _refAngles;
    private readonly float[] _refRates;
    private readonly float[] _refRoot;
    private readonly float[] _refRootRate;
    private readonly float[] _targetAngles;
    private readonly float[] _targetRates;
    private readonly float[] _targetRoot;
    private readonly float[] _targetRootRate;
    private readonly float[] _trackingError;
    private readonly float[] _torqueGap;
    private readonly float[] _angles = new float[Dofs];
    private readonly float[] _rates = new float[Dofs];

    public IdNetEnvironment(HandPlant plant, IReadOnlyList<ReferenceMotion> motions, int agents, IdNetEnvironmentOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(motions);
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        if (plant.DofCount != Dofs)
        {
            throw new ArgumentException($"the IDNet environment needs the fixed-root hand with {Dofs} dofs; the plant has {plant.DofCount}.", nameof(plant));
        }
        if (motions.Count == 0)
        {
            throw new ArgumentException("the IDNet environment needs at least one reference motion.", nameof(motions));
        }
        _dt = options.Simulation.ControlStep;
        foreach (ReferenceMotion m in motions)
        {
            if (m.Duration < 2 * _dt)
            {
                throw new ArgumentException($"motion '{m.Name}' lasts {m.Duration:0.###} s; a clip needs at least two control steps ({2 * _dt:0.###} s).", nameof(motions));
            }
        }
        _motions = motions;
        Batch = new HandBatch(plant, agents, options.Simulation);
        Batch.MusclesApplied = options.Mode == EnvironmentMode.Test;
        Batch.PdEnabled = options.Mode == EnvironmentMode.Train;
        Batch.PdInverseDynamics = options.InverseDynamics;
        Batch.Kp.Fill(options.Kp);
        Batch.Kd.Fill(options.Kd);
        _random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        _noise = new GaussianRng(seed * 0x9E3779B97F4A7C15UL + 1);
        _noiseStd = options.Mode == EnvironmentMode.Train ? (float)(options.AugmentationDegrees * Math.PI / 180.0) : 0f;

        _clip = new int[agents];
        _time = new double[agents];
        _refAngles = new float[agents * Dofs];
        _refRates = new float[agents * Dofs];
        _refRoot = new float[agents * 3];
        _refRootRate = new float[agents * 3];
        _targetAngles = new float[agents * Dofs];
        _targetRates = new float[agents * Dofs];
        _targetRoot = new float[agents * 3];
        _targetRootRate = new float[agents * 3];
        _trackingError = new float[agents];
        _torqueGap = new float[agents];
        Reset();
    }

    public IdNetEnvironmentOptions Options { get; }
    public HandBatch Batch { get; }
    public int AgentCount => Batch.AgentCount;
    public int ObservationSize => Options.ObservationSize;
    public int ActionSize => Batch.MuscleCount;
    public IReadOnlyList<ReferenceMotion> Motions => _motions;

    /// <summary>Episodes ended by the end of a clip since construction.</summary>
    public long EpisodesCompleted { get; private set; }

    /// <summary>Agents restarted because their state or torques went non-finite.</summary>
    public long NonFiniteResets { get; private set; }

    /// <summary>Per agent, RMS joint-angle error (rad) against the target after the last step.</summary>
    public ReadOnlySpan<float> TrackingErrors => _trackingError;

    /// <summary>Per agent, ||tau_pd - tau_m|| (N m) of the last training step.</summary>
    public ReadOnlySpan<float> TorqueGaps => _torqueGap;

    public int Clip(int agent) => _clip[agent];
    public double ClipTime(int agent) => _time[agent];

    /// <summary>Every agent restarts on a random clip at a random time.</summary>
    public void Reset()
    {
        for (int n = 0; n < AgentCount; n++)
        {
            RestartOnRandomClip(n);
        }
    }

    private void RestartOnRandomClip(int agent)
    {
        int clip = _random.Next(_motions.Count);
        StartAt(agent, clip, _random.NextDouble() * (_motions[clip].Duration - (2 * _dt)));
    }

    // The reference (angles, rates, wrist) at the agent's current clip time.
    private void SampleReference(int agent) =>
        _motions[_clip[agent]].Sample(
            _time[agent],
            _refAngles.AsSpan(agent * Dofs, Dofs),
            _refRates.AsSpan(agent * Dofs, Dofs),
            _refRoot.AsSpan(agent * 3, 3),
            _refRootRate.AsSpan(agent * 3, 3));

    /// <summary>Puts one agent at time <paramref name="time"/> (s) of clip <paramref name="clip"/>, on the reference.</summary>
    public void StartAt(int agent, int clip, double time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clip);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(clip, _motions.Count);
        _clip[agent] = clip;
        _time[agent] = Math.Clamp(time, 0, _motions[clip].Duration - (2 * _dt));
        SampleReference(agent);
        Batch.SetState(agent, _refAngles.AsSpan(agent * Dofs, Dofs), _refRates.AsSpan(agent * Dofs, Dofs));
        PrepareTarget(agent);
    }

    /// <summary>Observations of every agent, agent-major [N * obs].</summary>
    public void WriteObservations(Span<float> observations)
    {
        int size = ObservationSize;
        if (observations.Length != AgentCount * size)
        {
            throw new ArgumentException($"observations has {observations.Length} numbers; expected {AgentCount} x {size}.", nameof(observations));
        }
        for (int n = 0; n < AgentCount; n++)
        {
            for (int d = 0; d < Dofs; d++)
            {
                _angles[d] = Batch.Angle(n, d);
                _rates[d] = Batch.Velocity(n, d);
            }
            IdNetObservation.Write(
                observations.Slice(n * size, size),
                Options.IncludeWrist,
                _angles,
                _rates,
                _targetAngles.AsSpan(n * Dofs, Dofs),
                _targetRates.AsSpan(n * Dofs, Dofs),
                _refRoot.AsSpan(n * 3, 3),
                _refRootRate.AsSpan(n * 3, 3),
                _targetRoot.AsSpan(n * 3, 3),
                _targetRootRate.AsSpan(n * 3, 3));
        }
    }

    /// <summary>
    /// One control step. <paramref name="rawActions"/> [N * 31] are clipped to [-1, 1] and mapped to excitations
    /// a / 2 + 1/2. Writes one reward and one flag per agent; flagged agents have already restarted.
    /// </summary>
    public void Step(ReadOnlySpan<float> rawActions, Span<float> rewards, Span<TransitionFlags> flags)
    {
        int agents = AgentCount;
        int act = ActionSize;
        if (rawActions.Length != agents * act || rewards.Length != agents || flags.Length != agents)
        {
            throw new ArgumentException($"Step needs {agents} x {act} actions, {agents} rewards and {agents} flags; got {rawActions.Length}, {rewards.Length}, {flags.Length}.");
        }
        for (int m = 0; m < act; m++)
        {
            Span<float> excitation = Batch.Excitations(m);
            for (int n = 0; n < agents; n++)
            {
                float a = rawActions[n * act + m];
                // NaN from a broken policy copy becomes "relaxed" rather than poisoning the physics.
                excitation[n] = float.IsFinite(a) ? (Math.Clamp(a, -1f, 1f) * 0.5f) + 0.5f : 0f;
            }
        }
        bool train = Options.Mode == EnvironmentMode.Train;
        if (train)
        {
            float invDt = 1f / _dt;
            for (int d = 0; d < Dofs; d++)
            {
                Span<float> target = Batch.PdTarget(d);
                Span<float> targetRate = Batch.PdTargetVelocity(d);
                Span<float> targetAcc = Batch.PdTargetAcceleration(d);
                for (int n = 0; n < agents; n++)
                {
                    int i = n * Dofs + d;
                    target[n] = _targetAngles[i];
                    targetRate[n] = _targetRates[i];
                    targetAcc[n] = (_targetRates[i] - _refRates[i]) * invDt;
                }
            }
        }

        Batch.Step();

        Score(rewards, flags, train);
        for (int n = 0; n < agents; n++)
        {
            _time[n] += _dt;
            bool clipOver = _time[n] + _dt > _motions[_clip[n]].Duration;
            if (flags[n] != TransitionFlags.None || clipOver)
            {
                if (flags[n] == TransitionFlags.None)
                {
                    EpisodesCompleted++;
                }
                flags[n] = TransitionFlags.Terminated;
                RestartOnRandomClip(n);
            }
            else
            {
                SampleReference(n);
                PrepareTarget(n);
            }
        }
    }

    private void Score(Span<float> rewards, Span<TransitionFlags> flags, bool train)
    {
        int agents = AgentCount;
        rewards.Clear();
        _trackingError.AsSpan().Clear();
        _torqueGap.AsSpan().Clear();
        for (int d = 0; d < Dofs; d++)
        {
            ReadOnlySpan<float> pd = Batch.PdForces(d);
            ReadOnlySpan<float> muscle = Batch.MuscleForces(d);
            for (int n = 0; n < agents; n++)
            {
                float gap = pd[n] - muscle[n];
                _torqueGap[n] += gap * gap;
                float error = Batch.Angle(n, d) - _targetAngles[n * Dofs + d];
                _trackingError[n] += error * error;
            }
        }
        float w = (float)Options.RewardWeight;
        for (int n = 0; n < agents; n++)
        {
            _torqueGap[n] = MathF.Sqrt(_torqueGap[n]);
            _trackingError[n] = MathF.Sqrt(_trackingError[n] / Dofs);
            // Train: the paper's torque-matching reward. Test: a tracking score on the same 0-1 scale
            // (1 at perfect tracking, 1/e at 0.1 rad RMS), for reporting only.
            float r = train ? MathF.Exp(-w * _torqueGap[n]) : MathF.Exp(-10f * _trackingError[n]);
            bool finite = float.IsFinite(r) && float.IsFinite(_torqueGap[n]) && float.IsFinite(_trackingError[n]);
            if (!finite)
            {
                NonFiniteResets++;
                rewards[n] = 0f;
                flags[n] = TransitionFlags.Terminated;
                _trackingError[n] = float.NaN;
            }
            else
            {
                rewards[n] = r;
                flags[n] = TransitionFlags.None;
            }
        }
    }

    // Target = reference one control step ahead, plus the training augmentation N(0, sigma) per joint angle.
    private void PrepareTarget(int agent)
    {
        ReferenceMotion motion = _motions[_clip[agent]];
        Span<float> angles = _targetAngles.AsSpan(agent * Dofs, Dofs);
        motion.Sample(_time[agent] + _dt, angles, _targetRates.AsSpan(agent * Dofs, Dofs), _targetRoot.AsSpan(agent * 3, 3), _targetRootRate.AsSpan(agent * 3, 3));
        if (_noiseStd > 0)
        {
            for (int d = 0; d < Dofs; d++)
            {
                angles[d] += _noiseStd * (float)_noise.NextGaussian();
            }
        }
    }
}
