using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// MuJoCo's soft joint limit (solref = timeconst, dampratio; solimp's dmax) as the per-dof spring-damper our implicit
/// step applies beyond a limit. MuJoCo's limit obeys a = (1 − d)·a0 − d·(b·v + k·r) with b = 2/(dmax·timeconst),
/// k = d/(dmax²·timeconst²·dampratio²) and a0 = τ·invweight0 (the rest-pose diagonal of M⁻¹, dof_invweight0), so a torque τ
/// pushes a limit by r = (1 − d)·τ·invweight0/(d·k): stiffness d·k/((1 − d)·invweight0), damping d·b/((1 − d)·invweight0).
/// MyoHand sets no solref/solimp, so MuJoCo's defaults (0.02, 1; 0.9, 0.95, 0.001) apply, and its hinges give
/// about 6° under a full flexor pull, which is why MuJoCo's fingers reach about 96° against a 90° limit.
/// </summary>
public sealed record JointLimitSoftness(double TimeConstant = 0.02, double DampingRatio = 1, double ImpedanceMax = 0.95)
{
    /// <summary>MuJoCo's defaults, which MyoHand keeps.</summary>
    public static JointLimitSoftness MuJoCoDefault { get; } = new();

    /// <summary>Spring (N m/rad) and damper (N m s/rad) per dof, from the plant's rest-pose inverse inertia (armature included).</summary>
    internal (float[] Stiffness, float[] Damping) PerDof(HandPlant plant)
    {
        double d = ImpedanceMax;
        double b = 2 / (d * TimeConstant);
        double k = d / (d * d * TimeConstant * TimeConstant * DampingRatio * DampingRatio);
        double[] invWeight = RestInverseInertiaDiagonal(plant);
        float[] stiffness = new float[plant.DofCount];
        float[] damping = new float[plant.DofCount];
        for (int dof = 0; dof < plant.DofCount; dof++)
        {
            double scale = d / ((1 - d) * invWeight[dof]);
            stiffness[dof] = (float)(k * scale);
            damping[dof] = (float)(b * scale);
        }
        return (stiffness, damping);
    }

    /// <summary>diag(M⁻¹) at the rest pose, chain by chain (the fixed root makes M block diagonal).</summary>
    private static double[] RestInverseInertiaDiagonal(HandPlant plant)
    {
        const int n = HandPlant.MaxChainDofs;
        var w = new StepKernel<Lane1>.Workspace(plant);
        StepKernel<Lane1>.ForwardKinematics(plant, w);
        StepKernel<Lane1>.BiasForces(plant, w); // also fills the bodies' world inertias the composite pass starts from
        StepKernel<Lane1>.CompositeInertia(plant, w);
        StepKernel<Lane1>.MassMatrix(plant, w);
        double[] result = new double[plant.DofCount];
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
            double[,] inverse = Invert(m);
            for (int l = 0; l < size; l++)
            {
                result[3 * (chain[l / 3] - 1) + l % 3] = inverse[l, l];
            }
        }
        return result;
    }

    internal static double[,] Invert(double[,] a)
    {
        int size = a.GetLength(0);
        double[,] m = (double[,])a.Clone();
        double[,] inv = new double[size, size];
        for (int i = 0; i < size; i++)
        {
            inv[i, i] = 1;
        }
        for (int col = 0; col < size; col++)
        {
            double pivot = m[col, col];
            if (!(pivot > 0))
            {
                throw new ArgumentException($"The rest-pose mass matrix is not positive definite (pivot {pivot} at dof {col} of a chain).");
            }
            for (int j = 0; j < size; j++)
            {
                m[col, j] /= pivot;
                inv[col, j] /= pivot;
            }
            for (int r = 0; r < size; r++)
            {
                if (r == col)
                {
                    continue;
                }
                double f = m[r, col];
                for (int j = 0; j < size; j++)
                {
                    m[r, j] -= f * m[col, j];
                    inv[r, j] -= f * inv[col, j];
                }
            }
        }
        return inv;
    }
}
