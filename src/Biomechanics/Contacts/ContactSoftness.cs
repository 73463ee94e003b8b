using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Contacts;

/// <summary>
/// MuJoCo's soft contact as the spring-damper our step applies along the normal. MuJoCo's contact obeys
/// a = (1 − d)·a0 + d·aref with aref = −B·v − K·d·(dist − margin), B = 2/(dmax·timeconst), K = 1/(dmax²·timeconst²·dampratio²),
/// and the regulariser R = (1 − d)/d·A, where A is its diagonal approximation: body_invweight0 (translation) of the two
/// bodies, summed. At rest under a load the force is aref/R, so the normal acts as a spring d²·K/((1 − d)·A) and a damper
/// d·B/((1 − d)·A), the same derivation as <see cref="JointLimitSoftness"/>. body_invweight0 is the mean diagonal of
/// J·M⁻¹·Jᵀ for the body's centre of mass at the rest pose; the palm (our fixed root) has none.
/// </summary>
internal static class ContactSoftness
{
    /// <summary>(stiffness N/m, damping N s/m) of a pair whose bodies' translational invweight0 sum to <paramref name="invWeight"/>.</summary>
    public static (double Stiffness, double Damping) SpringDamper(ContactSpec spec, double invWeight)
    {
        double timeConstant = spec.SolRef[0], dampingRatio = spec.SolRef[1];
        // solimp's dmin is the impedance at zero penetration; MyoHand's skin has dmin = dmax, so it is constant.
        double d = spec.SolImp[0], dmax = spec.SolImp[1];
        double k = 1 / (dmax * dmax * timeConstant * timeConstant * dampingRatio * dampingRatio);
        double b = 2 / (dmax * timeConstant);
        double scale = d / ((1 - d) * invWeight);
        return (d * k * scale, b * scale);
    }

    /// <summary>Translational body_invweight0 of every joint's body (0 for the fixed palm), from the rest-pose mass matrix.</summary>
    public static double[] BodyInverseWeights(HandPlant plant, RestInertia rest)
    {
        StepKernel<Lane1>.Workspace w = rest.Pose;
        double[] result = new double[plant.JointCount];
        for (int c = 0; c < plant.Chains.Length; c++)
        {
            int[] chain = plant.Chains[c];
            int size = 3 * chain.Length;
            double[,] inverse = rest.FreeChainInverse[c];
            for (int jk = 0; jk < chain.Length; jk++)
            {
                int j = chain[jk];
                double[] com = Point(w, j, plant.CenterOfMass[3 * j], plant.CenterOfMass[3 * j + 1], plant.CenterOfMass[3 * j + 2]);
                // Jacobian of the centre of mass: column l = axis_l x (com - centre of the joint carrying axis l).
                double[,] jac = new double[3, size];
                for (int l = 0; l < 3 * (jk + 1); l++)
                {
                    int i = chain[l / 3];
                    Vec3<Lane1> axis = w.Axis[3 * (i - 1) + l % 3];
                    double ax = axis.X.V, ay = axis.Y.V, az = axis.Z.V;
                    double rx = com[0] - w.Pos[i].X.V, ry = com[1] - w.Pos[i].Y.V, rz = com[2] - w.Pos[i].Z.V;
                    jac[0, l] = ay * rz - az * ry;
                    jac[1, l] = az * rx - ax * rz;
                    jac[2, l] = ax * ry - ay * rx;
                }
                double trace = 0;
                for (int a = 0; a < 3; a++)
                {
                    for (int l = 0; l < size; l++)
                    {
                        for (int k = 0; k < size; k++)
                        {
                            trace += jac[a, l] * inverse[l, k] * jac[a, k];
                        }
                    }
                }
                result[j] = trace / 3;
            }
        }
        return result;
    }

    private static double[] Point(StepKernel<Lane1>.Workspace w, int j, float x, float y, float z)
    {
        Vec3<Lane1> p = w.Pos[j] + w.Rot[j].Transform(x, y, z);
        return [p.X.V, p.Y.V, p.Z.V];
    }
}
