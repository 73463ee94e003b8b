namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// MuJoCo's soft joint limit (solref = timeconst, dampratio; solimp's dmax) as the constraint row our step solves beyond a
/// limit. MuJoCo's limit force is f = (aref − a)/R ≥ 0 with aref = −b·v − k·r, b = 2/(dmax·timeconst),
/// k = d/(dmax²·timeconst²·dampratio²) and R = (1 − d)/d·invweight0 (dof_invweight0, the rest-pose diagonal of M⁻¹). So
/// the row is a spring d·k/((1 − d)·invweight0) and damper d·b/((1 − d)·invweight0) (aref/R) plus an inertia 1/R, which
/// stops all but 1 − d of a push at once: a joint driven into its limit is held there, not sprung back from it.
/// MyoHand sets no solref/solimp, so MuJoCo's defaults (0.02, 1; 0.9, 0.95, 0.001) apply, and its hinges give
/// about 6° under a full flexor pull, which is why MuJoCo's fingers reach about 96° against a 90° limit.
/// </summary>
public sealed record JointLimitSoftness(double TimeConstant = 0.02, double DampingRatio = 1, double ImpedanceMax = 0.95)
{
    /// <summary>MuJoCo's defaults, which MyoHand keeps.</summary>
    public static JointLimitSoftness MuJoCoDefault { get; } = new();

    /// <summary>
    /// Spring (N m/rad), damper (N m s/rad) and inertia (kg m², 1/R) per dof, from the plant's rest-pose inverse inertia
    /// (armature included). MuJoCo's limit force is f = (aref − a)/R: the spring and damper are aref/R, and 1/R is the
    /// inertia the row adds while the limit pushes, which lets only 1 − d of a push through (see <c>StepKernel</c>).
    /// </summary>
    internal (float[] Stiffness, float[] Damping, float[] Inertia) PerDof(HandPlant plant, RestInertia rest)
    {
        double d = ImpedanceMax;
        double b = 2 / (d * TimeConstant);
        double k = d / (d * d * TimeConstant * TimeConstant * DampingRatio * DampingRatio);
        double[] invWeight = new double[plant.DofCount];
        for (int c = 0; c < plant.Chains.Length; c++)
        {
            int[] chain = plant.Chains[c];
            for (int l = 0; l < 3 * chain.Length; l++)
            {
                int dof = 3 * (chain[l / 3] - 1) + l % 3;
                double given = plant.Model.Joints[chain[l / 3]].InverseWeight[l % 3];
                // A locked axis (no MuJoCo dof) takes its own diagonal for the spring that holds it. The others take the
                // model file's dof_invweight0 (MyoHand's tree includes the wrist, which our fixed palm lacks), or the hand's.
                invWeight[dof] = plant.Locked[dof] ? rest.ChainInverse[c][l, l] : given > 0 ? given : rest.FreeChainInverse[c][l, l];
            }
        }
        float[] stiffness = new float[plant.DofCount];
        float[] damping = new float[plant.DofCount];
        float[] inertia = new float[plant.DofCount];
        for (int dof = 0; dof < plant.DofCount; dof++)
        {
            double scale = d / ((1 - d) * invWeight[dof]);
            stiffness[dof] = (float)(k * scale);
            damping[dof] = (float)(b * scale);
            inertia[dof] = (float)scale;
        }
        return (stiffness, damping, inertia);
    }
}
