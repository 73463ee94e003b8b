using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// The plant at its rest pose: the world kinematics and each chain's inverse joint-space inertia (armature included),
/// from which MuJoCo's invweight0 quantities are read (per dof for the joint limits, per body for the skin contacts).
/// The fixed root makes the inertia block diagonal, so each finger chain is inverted on its own. MuJoCo's tree has
/// only MyoHand's hinges, so its invweight0 is the inverse over those alone: a locked axis (range [0, 0]) left in would
/// let the others move more (an MCP's abduction 1.35x, the thumb CMC's flexion 1.32x MuJoCo's dof_invweight0).
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
        FreeChainInverse = new double[plant.Chains.Length][,];
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
            // The same over the chain's unlocked dofs only (rows and columns of locked ones dropped, then zero).
            int[] free = Enumerable.Range(0, size).Where(l => !plant.Locked[3 * (chain[l / 3] - 1) + l % 3]).ToArray();
            double[,] reduced = new double[free.Length, free.Length];
            for (int r = 0; r < free.Length; r++)
            {
                for (int col = 0; col < free.Length; col++)
                {
                    reduced[r, col] = m[free[r], free[col]];
                }
            }
            FreeChainInverse[c] = new double[size, size];
            if (free.Length == 0)
            {
                continue; // a finger locked whole: nothing for a limit or contact to move
            }
            double[,] inverse = SpdInverse.TryInvert(reduced, out failed)
                ?? throw new ArgumentException($"The rest-pose mass matrix is not positive definite (free dof {failed} of chain {c}).");
            for (int r = 0; r < free.Length; r++)
            {
                for (int col = 0; col < free.Length; col++)
                {
                    FreeChainInverse[c][free[r], free[col]] = inverse[r, col];
                }
            }
        }
    }

    /// <summary>Positions, frames and joint axes at the rest pose (one lane).</summary>
    public StepKernel<Lane1>.Workspace Pose { get; }

    /// <summary>(M + armature)⁻¹ per chain, rows and columns in chain order (3 dofs per joint).</summary>
    public double[][,] ChainInverse { get; }

    /// <summary>The inverse over each chain's unlocked dofs (MuJoCo's tree), zero in the rows and columns of locked ones.</summary>
    public double[][,] FreeChainInverse { get; }
}
