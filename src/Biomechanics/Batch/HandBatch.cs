using System.Runtime.Intrinsics;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Batch;

/// <summary>Time stepping of a batch: a control step is <see cref="Substeps"/> physics steps of <see cref="TimeStep"/>.</summary>
public sealed record SimulationSettings
{
    /// <summary>Physics step (s). MyoHand's own is 2 ms.</summary>
    public float TimeStep { get; init; } = 0.002f;
    /// <summary>Physics steps per control step; 10 x 2 ms = the 20 ms control step of MyoSuite and the authors' Unity.</summary>
    public int Substeps { get; init; } = 10;
    public float ControlStep => TimeStep * Substeps;
    /// <summary>
    /// Find the skin contacts once per control step and hold their frames and Jacobians over its substeps (the default;
    /// about 2x faster on a clenched hand). False finds them again at every substep: the reference the held contacts are
    /// checked against.
    /// </summary>
    public bool HoldContacts { get; init; } = true;

    public void Validate()
    {
        if (!(TimeStep > 0 && TimeStep <= 0.02f))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeStep), TimeStep, "Simulation TimeStep must be in (0, 0.02] seconds.");
        }
        if (Substeps < 1 || Substeps > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Substeps), Substeps, "Simulation Substeps must be in [1, 1000].");
        }
    }
}

/// <summary>How many agents one kernel call carries.</summary>
public enum LaneWidth
{
    /// <summary>Eight agents per AVX register when the hardware accelerates 256-bit vectors, else one.</summary>
    Auto,
    /// <summary>One agent at a time: the straightforward scalar baseline.</summary>
    Scalar,
    /// <summary>Eight agents per register.</summary>
    Wide8,
}

/// <summary>
/// N musculoskeletal hands stepped in lockstep (struct-of-arrays, SIMD across agents, no allocation per step).
/// State per agent: 45 joint angles and rates (MANO joints 1-15, three anatomical axes each), one activation per
/// muscle. Inputs per control step: excitations in [0, 1], optional external generalized forces and PD targets.
/// </summary>
public sealed class HandBatch
{
    private readonly HandBatchState _state;
    private readonly Action<int> _stepBundle;
    private readonly int _bundleWidth;

    public HandPlant Plant { get; }
    public SimulationSettings Settings { get; }
    public int AgentCount { get; }
    public int DofCount => Plant.DofCount;
    public int MuscleCount => Plant.MuscleCount;
    public LaneWidth Width { get; }
    /// <summary>Simulated time since construction (s).</summary>
    public double Time { get; private set; }

    public HandBatch(HandPlant plant, int agentCount, SimulationSettings? settings = null, LaneWidth width = LaneWidth.Auto)
    {
        if (agentCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(agentCount), agentCount, "A batch needs at least one agent.");
        }
        Plant = plant;
        Settings = settings ?? new SimulationSettings();
        Settings.Validate();
        AgentCount = agentCount;
        Width = width == LaneWidth.Auto ? (Vector256.IsHardwareAccelerated ? LaneWidth.Wide8 : LaneWidth.Scalar) : width;
        _bundleWidth = Width == LaneWidth.Wide8 ? 8 : 1;
        int stride = (agentCount + _bundleWidth - 1) / _bundleWidth * _bundleWidth;
        _state = new HandBatchState(stride, plant.DofCount, plant.MuscleCount);
        _stepBundle = Width == LaneWidth.Wide8 ? MakeStepper<Lane8>() : MakeStepper<Lane1>();
        ResetAll();
    }

    public int Stride => _state.Stride;

    /// <summary>When false, muscle torques are still computed (and reported) but not applied: the IDNet training mode.</summary>
    public bool MusclesApplied
    {
        get => _state.MusclesApplied;
        set => _state.MusclesApplied = value;
    }

    /// <summary>Joint-space PD drive toward <see cref="PdTarget"/>, treated implicitly (stable at any gain).</summary>
    public bool PdEnabled
    {
        get => _state.PdEnabled;
        set => _state.PdEnabled = value;
    }

    /// <summary>
    /// Computed-torque compensation on top of the PD drive: the drive also applies the inverse dynamics of the
    /// reference, M(q) qdd_ref + bias(q, qd) + damping qd, so tracking does not rely on stiff gains and the reported
    /// PD force is the whole generalized force needed to follow the reference (the IDNet training target).
    /// </summary>
    public bool PdInverseDynamics
    {
        get => _state.PdInverseDynamics;
        set => _state.PdInverseDynamics = value;
    }

    /// <summary>Per-dof proportional gains (N m / rad) of the PD drive.</summary>
    public Span<float> Kp => _state.Kp;
    /// <summary>Per-dof derivative gains (N m s / rad) of the PD drive.</summary>
    public Span<float> Kd => _state.Kd;

    public Span<float> Angles(int dof) => Channel(_state.Q, dof, DofCount);
    public Span<float> Velocities(int dof) => Channel(_state.Qd, dof, DofCount);
    public Span<float> Activations(int muscle) => Channel(_state.Activation, muscle, MuscleCount);
    public Span<float> Excitations(int muscle) => Channel(_state.Excitation, muscle, MuscleCount);
    public Span<float> ExternalForces(int dof) => Channel(_state.ExternalForce, dof, DofCount);
    public Span<float> PdTarget(int dof) => Channel(_state.PdTarget, dof, DofCount);
    public Span<float> PdTargetVelocity(int dof) => Channel(_state.PdTargetVelocity, dof, DofCount);
    /// <summary>Reference acceleration per dof, used only with <see cref="PdInverseDynamics"/>.</summary>
    public Span<float> PdTargetAcceleration(int dof) => Channel(_state.PdTargetAcceleration, dof, DofCount);

    /// <summary>Mean generalized force of all muscles over the last control step (applied or not).</summary>
    public ReadOnlySpan<float> MuscleForces(int dof) => Channel(_state.MuscleForceSum, dof, DofCount);
    /// <summary>Mean generalized force of the PD drive over the last control step.</summary>
    public ReadOnlySpan<float> PdForces(int dof) => Channel(_state.PdForceSum, dof, DofCount);
    /// <summary>Muscle tension (N) at the last substep.</summary>
    public ReadOnlySpan<float> Tensions(int muscle) => Channel(_state.Tension, muscle, MuscleCount);

    public float Angle(int agent, int dof) => _state.Q[dof * _state.Stride + agent];
    public float Velocity(int agent, int dof) => _state.Qd[dof * _state.Stride + agent];

    /// <summary>Puts one agent at a pose with given velocities and zero activation.</summary>
    public void SetState(int agent, ReadOnlySpan<float> angles, ReadOnlySpan<float> velocities)
    {
        if ((uint)agent >= (uint)AgentCount)
        {
            throw new ArgumentOutOfRangeException(nameof(agent), agent, $"Agent index must be below {AgentCount}.");
        }
        if (angles.Length != DofCount || velocities.Length != DofCount)
        {
            throw new ArgumentException($"SetState needs {DofCount} angles and velocities; got {angles.Length} and {velocities.Length}.");
        }
        int stride = _state.Stride;
        for (int d = 0; d < DofCount; d++)
        {
            if (!float.IsFinite(angles[d]) || !float.IsFinite(velocities[d]))
            {
                throw new ArgumentException($"SetState agent {agent}: dof {d} ({Plant.DofNames[d]}) has angle {angles[d]}, velocity {velocities[d]}; both must be finite.");
            }
            _state.Q[d * stride + agent] = angles[d];
            _state.Qd[d * stride + agent] = velocities[d];
        }
        for (int m = 0; m < MuscleCount; m++)
        {
            _state.Activation[m * stride + agent] = 0f;
        }
    }

    /// <summary>Every agent at the rest pose (all angles clamped into their limits), still, muscles relaxed.</summary>
    public void ResetAll()
    {
        Array.Clear(_state.Qd);
        Array.Clear(_state.Activation);
        Array.Clear(_state.Excitation);
        for (int d = 0; d < DofCount; d++)
        {
            float rest = Math.Clamp(0f, Plant.Lower[d], Plant.Upper[d]);
            Array.Fill(_state.Q, rest, d * _state.Stride, _state.Stride);
        }
        Time = 0;
    }

    /// <summary>One control step for every agent (Substeps physics steps); outputs are means over the step.</summary>
    public void Step()
    {
        Array.Clear(_state.MuscleForceSum);
        Array.Clear(_state.PdForceSum);
        for (int offset = 0; offset < AgentCount; offset += _bundleWidth)
        {
            _stepBundle(offset);
        }
        float inv = 1f / Settings.Substeps;
        Scale(_state.MuscleForceSum, inv);
        Scale(_state.PdForceSum, inv);
        Time += Settings.ControlStep;
    }

    /// <summary>True when every agent's angles and rates are finite.</summary>
    public bool AllFinite()
    {
        foreach (float v in _state.Q)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }
        foreach (float v in _state.Qd)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    private StepKernel<Lane1>.Workspace? _diagnostics;

    /// <summary>Kinetic and potential energy of one agent (J), for conservation checks.</summary>
    public (double Kinetic, double Potential) Energy(int agent)
    {
        CheckAgent(agent);
        _diagnostics ??= new StepKernel<Lane1>.Workspace(Plant);
        StepKernel<Lane1>.Energy(Plant, _state, agent, _diagnostics, out Lane1 kinetic, out Lane1 potential);
        return (kinetic.V, potential.V);
    }

    /// <summary>World positions (hand frame, m) of the joint centres of one agent: JointCount x 3.</summary>
    public void JointPositions(int agent, Span<float> positions)
    {
        CheckAgent(agent);
        if (positions.Length < 3 * Plant.JointCount)
        {
            throw new ArgumentException($"JointPositions needs room for {3 * Plant.JointCount} floats; got {positions.Length}.");
        }
        _diagnostics ??= new StepKernel<Lane1>.Workspace(Plant);
        StepKernel<Lane1>.Kinematics(Plant, _state, agent, _diagnostics);
        for (int j = 0; j < Plant.JointCount; j++)
        {
            Vec3<Lane1> p = _diagnostics.Pos[j];
            positions[3 * j] = p.X.V;
            positions[3 * j + 1] = p.Y.V;
            positions[3 * j + 2] = p.Z.V;
        }
    }

    /// <summary>
    /// Path length (m) of one muscle for one agent and its moment arms per dof (generalized force per newton of
    /// tension; the negative of dL/dq), written into <paramref name="perDof"/> (DofCount entries).
    /// </summary>
    public float MomentArms(int agent, int muscle, Span<float> perDof)
    {
        CheckAgent(agent);
        if ((uint)muscle >= (uint)MuscleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(muscle), muscle, $"Muscle index must be below {MuscleCount}.");
        }
        if (perDof.Length < DofCount)
        {
            throw new ArgumentException($"MomentArms needs room for {DofCount} floats; got {perDof.Length}.");
        }
        _diagnostics ??= new StepKernel<Lane1>.Workspace(Plant);
        StepKernel<Lane1>.Kinematics(Plant, _state, agent, _diagnostics);
        CompiledMuscle m = Plant.Muscles[muscle];
        Lane1 length = StepKernel<Lane1>.PathGeometry(m, muscle, _diagnostics);
        perDof[..DofCount].Clear();
        for (int k = 0; k < m.Dofs.Length; k++)
        {
            perDof[m.Dofs[k]] = _diagnostics.G[k].V;
        }
        return length.V;
    }

    private void CheckAgent(int agent)
    {
        if ((uint)agent >= (uint)AgentCount)
        {
            throw new ArgumentOutOfRangeException(nameof(agent), agent, $"Agent index must be below {AgentCount}.");
        }
    }

    private Action<int> MakeStepper<T>() where T : unmanaged, ILane<T>
    {
        var workspace = new StepKernel<T>.Workspace(Plant);
        HandPlant plant = Plant;
        HandBatchState state = _state;
        SimulationSettings settings = Settings;
        workspace.Contacts.Horizon = settings.HoldContacts ? settings.ControlStep : 0f;
        return offset =>
        {
            // All substeps of one bundle back to back: its working set stays in L1.
            for (int s = 0; s < settings.Substeps; s++)
            {
                // Wraps are solved and contact pairs found once per control step (first substep), then followed on their bones.
                workspace.FirstSubstep = s == 0;
                StepKernel<T>.Substep(plant, state, offset, workspace, settings.TimeStep);
            }
        };
    }

    private Span<float> Channel(float[] array, int index, int count)
    {
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Channel index must be below {count}.");
        }
        return array.AsSpan(index * _state.Stride, AgentCount);
    }

    private static void Scale(float[] values, float factor)
    {
        Span<float> span = values.AsSpan();
        for (int i = 0; i < span.Length; i++)
        {
            span[i] *= factor;
        }
    }
}
