namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// Struct-of-arrays state of a batch: each quantity is one array, indexed [channel * Stride + agent], so a bundle
/// of agents is one contiguous vector load per channel. Stride is the agent count padded to whole bundles.
/// </summary>
internal sealed class HandBatchState
{
    public readonly int Stride;
    public readonly float[] Q;
    public readonly float[] Qd;
    public readonly float[] Activation;
    public readonly float[] Excitation;
    public readonly float[] Tension;
    public readonly float[] ExternalForce;
    public readonly float[] PdTarget;
    public readonly float[] PdTargetVelocity;
    public readonly float[] PdTargetAcceleration;
    public readonly float[] Kp;
    public readonly float[] Kd;
    public readonly float[] MuscleForceSum;
    public readonly float[] PdForceSum;
    public bool MusclesApplied = true;
    public bool PdEnabled;
    public bool PdInverseDynamics;

    public HandBatchState(int stride, int dofs, int muscles)
    {
        Stride = stride;
        Q = new float[dofs * stride];
        Qd = new float[dofs * stride];
        Activation = new float[muscles * stride];
        Excitation = new float[muscles * stride];
        Tension = new float[muscles * stride];
        ExternalForce = new float[dofs * stride];
        PdTarget = new float[dofs * stride];
        PdTargetVelocity = new float[dofs * stride];
        PdTargetAcceleration = new float[dofs * stride];
        Kp = new float[dofs];
        Kd = new float[dofs];
        MuscleForceSum = new float[dofs * stride];
        PdForceSum = new float[dofs * stride];
    }
}
