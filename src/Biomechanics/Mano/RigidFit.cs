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
        // M = sum (q - cq)(p - cp)^T; R maximises trace(R^T M) with det R = +1.
        Mat3 m = Mat3.Zero;
        for (int i = 0; i < from.Count; i++)
        {
            Vec3 p = from[i] - cp, q = to[i] - cq;
            m += new Mat3(q.X * p.X, q.X * p.Y, q.X * p.Z, q.Y * p.X, q.Y * p.Y, q.Y * p.Z, q.Z * p.X, q.Z * p.Y, q.Z * p.Z);
        }
        Mat3 r = RotationFit.Maximising(m, allowReflection: false, out Vec3 s, out _);
        if (!(s.Y > 1e-12 * Math.Max(s.X, 1e-300)))
        {
            throw new ArgumentException("Kabsch: the point sets are degenerate (collinear); no unique rotation.");
        }
        return new RigidFit(r, cq - r * cp);
    }
}
