using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// The plant at its rest pose: the world kinematics and each chain's inverse joint-space inertia (armature included),
/// from which MuJoCo's invweight0 quantities are read (per dof for the joint limits, per body for the skin contacts).
/// The fixed root makes the inertia block diagonal, so each finger chain is inverted on its own.
/// </summary>
internal sealed class RestInertia
{
    public RestInertia(HandPlant plant)
    {
        const int n = HandPlant.MaxChainDofs;
        var w = new StepKernel<Lane1>.Workspace(plant);
        StepKernel<Lane1>.ForwardKinematics(plant, w);
        StepKernel<Lane1>.BiasForces(plant, w); // also fills the bodies' world inertias the composite pass starts from
        StepKernel<Lane1>.CompositeInertia(plant, w);
        StepKernel<Lane1>.MassMatrix(plant, w);
        Pose = w;
        ChainInverse = new double[plant.Chains.Length][,];
        for (int c = 0; c < plant.Chains.Length; c++)
        {
            int[] chain = plant.Chains[c];
            int size = 3 * chain.Length;
            double[,] m = new double[size, size];
            for (int r = 0; r < size; r++)
            {
                for (int col = 0; col <= r; col++)
                {
                    m[r, col] = m[col, r] = w.Block[c * n * n + r * n + col].V;
                }
                m[r, r] += plant.Armature[3 * (chain[r / 3] - 1) + r % 3];
            }
            ChainInverse[c] = SpdInverse.TryInvert(m, out int failed)
                ?? throw new ArgumentException($"The rest-pose mass matrix is not positive definite (dof {failed} of chain {c}).");
        }
    }

    /// <summary>Positions, frames and joint axes at the rest pose (one lane).</summary>
    public StepKernel<Lane1>.Workspace Pose { get; }

    /// <summary>(M + armature)⁻¹ per chain, rows and columns in chain order (3 dofs per joint).</summary>
    public double[][,] ChainInverse { get; }
}
