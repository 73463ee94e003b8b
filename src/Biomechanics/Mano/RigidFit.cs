using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Biomechanics.Mano;

/// <summary>Best-fit rigid transform (Kabsch, no scale, proper rotation) taking point set P onto Q: q ~ R p + t.</summary>
public readonly record struct RigidFit(Mat3 Rotation, Vec3 Translation)
{
    public Vec3 Apply(Vec3 p) => Rotation * p + Translation;

    public static RigidFit Kabsch(IReadOnlyList<Vec3> from, IReadOnlyList<Vec3> to)
    {
        if (from.Count != to.Count || from.Count < 3)
        {
            throw new ArgumentException($"Kabsch needs two equally long point sets of at least 3 points ({from.Count} vs {to.Count}).");
        }
        Vec3 cp = Vec3.Zero, cq = Vec3.Zero;
        for (int i = 0; i < from.Count; i++)
        {
            cp += from[i];
            cq += to[i];
        }
        cp /= from.Count;
        cq /= to.Count;
        // Cross-covariance H = sum (p - cp)(q - cq)^T; R = V diag(1, 1, det) U^T from H = U S V^T, computed via the
        // symmetric eigenproblem of H^T H (V) and U = H V S^-1.
        Mat3 h = Mat3.Zero;
        for (int i = 0; i < from.Count; i++)
        {
            Vec3 p = from[i] - cp, q = to[i] - cq;
            h += new Mat3(p.X * q.X, p.X * q.Y, p.X * q.Z, p.Y * q.X, p.Y * q.Y, p.Y * q.Z, p.Z * q.X, p.Z * q.Y, p.Z * q.Z);
        }
        Mat3 r = PolarRotation(h.Transpose());
        return new RigidFit(r, cq - r * cp);
    }

    /// <summary>The rotation R maximising trace(R^T M) (orthogonal Procrustes with det R = +1).</summary>
    private static Mat3 PolarRotation(Mat3 m)
    {
        // m = U S V^T; eigen-decompose m^T m = V S^2 V^T.
        (Vec3 s2, Mat3 v) = (m.Transpose() * m).SymmetricEigen();
        double[] sv = [Math.Sqrt(Math.Max(s2.X, 0)), Math.Sqrt(Math.Max(s2.Y, 0)), Math.Sqrt(Math.Max(s2.Z, 0))];
        int[] order = [0, 1, 2];
        System.Array.Sort(order, (a, b) => sv[b].CompareTo(sv[a]));
        Vec3 v0 = v.Column(order[0]), v1 = v.Column(order[1]);
        if (!(sv[order[1]] > 1e-12 * Math.Max(sv[order[0]], 1e-300)))
        {
            throw new ArgumentException("Kabsch: the point sets are degenerate (collinear); no unique rotation.");
        }
        Vec3 u0 = (m * v0).Normalized();
        Vec3 u1 = m * v1;
        u1 = (u1 - u1.Dot(u0) * u0).Normalized();
        Vec3 v2 = v0.Cross(v1);
        Vec3 u2 = u0.Cross(u1);
        // R = sum u_i v_i^T with the third pair chosen right-handed (det = +1, the reflection-free optimum).
        Mat3 uMat = Mat3.FromColumns(u0, u1, u2);
        Mat3 vMat = Mat3.FromColumns(v0, v1, v2);
        return uMat * vMat.Transpose();
    }
}
