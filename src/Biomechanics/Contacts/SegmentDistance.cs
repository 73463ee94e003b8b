using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Biomechanics.Contacts;

/// <summary>
/// Closest points of two segments in double precision (Ericson, Real-Time Collision Detection 5.1.9): the reference the
/// SIMD contact kernel is tested against, and the converter's pair pruning. A segment whose ends coincide is a point.
/// </summary>
public static class SegmentDistance
{
    /// <summary>Closest points <paramref name="onA"/> on p0-p1 and <paramref name="onB"/> on q0-q1; returns their distance.</summary>
    public static double Closest(Vec3 p0, Vec3 p1, Vec3 q0, Vec3 q1, out Vec3 onA, out Vec3 onB)
    {
        const double eps = 1e-18;
        Vec3 d1 = p1 - p0, d2 = q1 - q0, r = p0 - q0;
        double a = d1.Dot(d1), e = d2.Dot(d2), f = d2.Dot(r);
        double s, t;
        if (a <= eps && e <= eps)
        {
            s = t = 0;
        }
        else if (a <= eps)
        {
            s = 0;
            t = Math.Clamp(f / e, 0, 1);
        }
        else
        {
            double c = d1.Dot(r);
            if (e <= eps)
            {
                t = 0;
                s = Math.Clamp(-c / a, 0, 1);
            }
            else
            {
                double b = d1.Dot(d2);
                double denom = a * e - b * b;
                s = denom > 0 ? Math.Clamp((b * f - c * e) / denom, 0, 1) : 0;
                t = (b * s + f) / e;
                if (t < 0)
                {
                    t = 0;
                    s = Math.Clamp(-c / a, 0, 1);
                }
                else if (t > 1)
                {
                    t = 1;
                    s = Math.Clamp((b - c) / a, 0, 1);
                }
            }
        }
        onA = p0 + s * d1;
        onB = q0 + t * d2;
        return (onA - onB).Norm();
    }

    /// <summary>Signed surface distance of two capsules (negative: penetration).</summary>
    public static double Capsules(Vec3 p0, Vec3 p1, double radiusA, Vec3 q0, Vec3 q1, double radiusB) =>
        Closest(p0, p1, q0, q1, out _, out _) - radiusA - radiusB;
}
