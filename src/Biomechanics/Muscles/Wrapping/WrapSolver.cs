using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Muscles.Wrapping;

/// <summary>One wrap surface placed in the world: centre, cylinder axis, radius and optional side point.</summary>
public readonly record struct WrapSurface(WrapKind Kind, Vec3 Center, Vec3 Axis, double Radius, Vec3? Side);

/// <summary>
/// MuJoCo's tendon wrapping around a sphere or cylinder (mju_wrap / wrap_circle semantics), in double precision for
/// geometry, tests and compile-time folding. The SIMD step kernel uses <see cref="WrapKernel{T}"/>, the same rules.
/// A segment p0-p1 wraps when its straight line crosses the circle, or passes on the side away from the side point;
/// it then leaves the straight line at two tangent points joined by an arc (a helix on a cylinder).
/// </summary>
public static class WrapSolver
{
    private const double MinVal = 1e-15;

    /// <summary>Arc length between the tangent points t0 and t1, or -1 when the segment does not wrap.</summary>
    public static double Solve(in WrapSurface w, Vec3 p0World, Vec3 p1World, out Vec3 t0, out Vec3 t1)
    {
        t0 = t1 = default;
        Vec3 p0 = p0World - w.Center, p1 = p1World - w.Center;
        if (p0.Norm() < MinVal || p1.Norm() < MinVal)
        {
            return -1;
        }
        Vec3 e0, e1, ez;
        if (w.Kind == WrapKind.Sphere)
        {
            e0 = p0.Normalized();
            Vec3 n = p0.Cross(p1);
            if (n.Norm() < 1e-12)
            {
                // Ends in line with the centre: any plane through them (MuJoCo picks one the same way).
                return -1;
            }
            ez = n.Normalized();
            e1 = ez.Cross(e0).Normalized();
        }
        else
        {
            ez = w.Axis.Normalized();
            Basis(ez, out e0, out e1);
        }
        double d0x = p0.Dot(e0), d0y = p0.Dot(e1), d1x = p1.Dot(e0), d1y = p1.Dot(e1);
        double sdx = 0, sdy = 0;
        bool hasSide = w.Side is not null;
        if (hasSide)
        {
            Vec3 s = w.Side!.Value - w.Center;
            sdx = s.Dot(e0);
            sdy = s.Dot(e1);
        }
        double wlen = Circle(d0x, d0y, d1x, d1y, hasSide, sdx, sdy, w.Radius, out double a0x, out double a0y, out double a1x, out double a1y);
        if (wlen < 0)
        {
            return -1;
        }
        Vec3 r0 = e0 * a0x + e1 * a0y, r1 = e0 * a1x + e1 * a1y;
        if (w.Kind == WrapKind.Cylinder)
        {
            double z0 = p0.Dot(ez), z1 = p1.Dot(ez);
            double l0 = Math.Sqrt((d0x - a0x) * (d0x - a0x) + (d0y - a0y) * (d0y - a0y));
            double l1 = Math.Sqrt((d1x - a1x) * (d1x - a1x) + (d1y - a1y) * (d1y - a1y));
            double total = l0 + wlen + l1;
            double h0 = z0 + (z1 - z0) * l0 / total, h1 = z0 + (z1 - z0) * (l0 + wlen) / total;
            r0 += ez * h0;
            r1 += ez * h1;
            wlen = Math.Sqrt(wlen * wlen + (h1 - h0) * (h1 - h0));
        }
        t0 = w.Center + r0;
        t1 = w.Center + r1;
        return wlen;
    }

    /// <summary>Path length p0 -> (wrap) -> p1.</summary>
    public static double Length(in WrapSurface w, Vec3 p0, Vec3 p1)
    {
        double arc = Solve(w, p0, p1, out Vec3 t0, out Vec3 t1);
        return arc < 0 ? (p1 - p0).Norm() : (t0 - p0).Norm() + arc + (p1 - t1).Norm();
    }

    /// <summary>A right-handed basis (e0, e1, axis) across a unit axis.</summary>
    public static void Basis(Vec3 axis, out Vec3 e0, out Vec3 e1)
    {
        Vec3 helper = Math.Abs(axis.X) < 0.9 ? Vec3.UnitX : Vec3.UnitY;
        e0 = (helper - axis * helper.Dot(axis)).Normalized();
        e1 = axis.Cross(e0);
    }

    private static double Circle(double d0x, double d0y, double d1x, double d1y, bool hasSide, double sdx, double sdy, double rad,
        out double a0x, out double a0y, out double a1x, out double a1y)
    {
        a0x = a0y = a1x = a1y = 0;
        double sq0 = d0x * d0x + d0y * d0y, sq1 = d1x * d1x + d1y * d1y, r2 = rad * rad;
        if (sq0 < r2 || sq1 < r2 || rad < MinVal)
        {
            return -1;
        }
        double difx = d1x - d0x, dify = d1y - d0y, dd = difx * difx + dify * dify;
        if (dd < MinVal)
        {
            return -1;
        }
        double a = Math.Clamp(-(difx * d0x + dify * d0y) / dd, 0, 1);
        double cx = a * difx + d0x, cy = a * dify + d0y;
        if (cx * cx + cy * cy > r2 && (!hasSide || sdx * cx + sdy * cy >= 0))
        {
            return -1;
        }
        double s0 = Math.Sqrt(sq0 - r2), s1 = Math.Sqrt(sq1 - r2);
        Span<double> sol = stackalloc double[8];
        Span<double> good = stackalloc double[2];
        for (int i = 0; i < 2; i++)
        {
            double sgn = i == 0 ? 1 : -1;
            sol[4 * i] = (d0x * r2 + sgn * rad * d0y * s0) / sq0;
            sol[4 * i + 1] = (d0y * r2 - sgn * rad * d0x * s0) / sq0;
            sol[4 * i + 2] = (d1x * r2 - sgn * rad * d1y * s1) / sq1;
            sol[4 * i + 3] = (d1y * r2 + sgn * rad * d1x * s1) / sq1;
            if (hasSide)
            {
                double mx = sol[4 * i] + sol[4 * i + 2], my = sol[4 * i + 1] + sol[4 * i + 3];
                double n = Math.Sqrt(mx * mx + my * my);
                good[i] = n < MinVal ? 0 : (mx * sdx + my * sdy) / n;
            }
            else
            {
                double mx = sol[4 * i] - sol[4 * i + 2], my = sol[4 * i + 1] - sol[4 * i + 3];
                good[i] = -(mx * mx + my * my);
            }
            if (Intersect(d0x, d0y, sol[4 * i], sol[4 * i + 1], d1x, d1y, sol[4 * i + 2], sol[4 * i + 3]))
            {
                good[i] = -10000;
            }
        }
        int k = good[0] > good[1] ? 0 : 1;
        a0x = sol[4 * k];
        a0y = sol[4 * k + 1];
        a1x = sol[4 * k + 2];
        a1y = sol[4 * k + 3];
        if (Intersect(d0x, d0y, a0x, a0y, d1x, d1y, a1x, a1y))
        {
            return -1;
        }
        double angle = Math.Atan2(Math.Abs(a0x * a1y - a0y * a1x), a0x * a1x + a0y * a1y);
        double cross = a0y * a1x - a0x * a1y;
        if ((cross > 0 && k == 1) || (cross < 0 && k == 0))
        {
            angle = 2 * Math.PI - angle;
        }
        return rad * angle;
    }

    /// <summary>Do the 2-D segments p1-p2 and p3-p4 intersect.</summary>
    private static bool Intersect(double p1x, double p1y, double p2x, double p2y, double p3x, double p3y, double p4x, double p4y)
    {
        double det = (p4y - p3y) * (p2x - p1x) - (p4x - p3x) * (p2y - p1y);
        if (Math.Abs(det) < MinVal)
        {
            return false;
        }
        double a = ((p4x - p3x) * (p1y - p3y) - (p4y - p3y) * (p1x - p3x)) / det;
        double b = ((p2x - p1x) * (p1y - p3y) - (p2y - p1y) * (p1x - p3x)) / det;
        return a >= 0 && a <= 1 && b >= 0 && b <= 1;
    }
}
