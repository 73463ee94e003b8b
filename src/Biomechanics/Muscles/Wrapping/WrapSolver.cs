using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Muscles.Wrapping;

/// <summary>One wrap surface placed in the world: centre, cylinder axis, radius and optional side point.</summary>
public readonly record struct WrapSurface(WrapKind Kind, Vec3 Center, Vec3 Axis, double Radius, Vec3? Side);

/// <summary>
/// MuJoCo's tendon wrapping around a sphere or cylinder (mju_wrap / wrap_circle semantics), in double precision for
/// geometry, tests and compile-time folding. The SIMD step kernel uses <see cref="WrapKernel{T}"/>, the same rules.
/// A segment p0-p1 wraps when its straight line crosses the circle, or passes on the side away from the side point;
/// it then leaves the straight line at two tangent points joined by an arc (a helix on a cylinder). A side point inside
/// the circle asks for the inside wrap instead: a segment that misses the circle bends to touch it at one point.
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
        double wlen = IsInside(w.Center, w.Side, w.Radius)
            ? Inside(d0x, d0y, d1x, d1y, w.Radius, out double a0x, out double a0y, out double a1x, out double a1y)
            : Circle(d0x, d0y, d1x, d1y, hasSide, sdx, sdy, w.Radius, out a0x, out a0y, out a1x, out a1y);
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

    /// <summary>
    /// MuJoCo's test for the inside wrap: the side point within the radius of the surface's centre, in 3-D (MuJoCo 3.x;
    /// a side point inside a cylinder's circle but beyond it along the axis, as MyoHand's RI2, UI_UB4 and LU_RB5 sites
    /// are, still wraps outside). Side point and surface share a body, so this holds at every pose.
    /// </summary>
    public static bool IsInside(Vec3 center, Vec3? side, double radius) =>
        side is { } s && (s - center).Norm() < radius;

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

    /// <summary>
    /// MuJoCo's wrap_inside: the side point lies inside the circle, so the path must touch it. When the straight segment
    /// misses the circle, both tangent points become the one contact point where the path reflects off the circle (equal
    /// angles to the radius: the shortest touching path). With z the sine of that angle, A = r/|d0|, B = r/|d1| and G
    /// the angle d0-O-d1, the contact solves asin(Az) + asin(Bz) - 2 asin(z) + G = 0 (Newton from z just below 1, as
    /// MuJoCo does, with its fallback to the chord midpoint's direction). Returns 0 (no arc) or -1 (straight).
    /// </summary>
    private static double Inside(double d0x, double d0y, double d1x, double d1y, double rad,
        out double a0x, out double a0y, out double a1x, out double a1y)
    {
        a0x = a0y = a1x = a1y = 0;
        double len0 = Math.Sqrt(d0x * d0x + d0y * d0y), len1 = Math.Sqrt(d1x * d1x + d1y * d1y);
        if (len0 <= rad || len1 <= rad || rad < MinVal || len0 < MinVal || len1 < MinVal)
        {
            return -1;
        }
        double difx = d1x - d0x, dify = d1y - d0y, dd = difx * difx + dify * dify;
        if (dd > MinVal)
        {
            double t = -(difx * d0x + dify * d0y) / dd;
            double cx = d0x + t * difx, cy = d0y + t * dify;
            if (t > 0 && t < 1 && Math.Sqrt(cx * cx + cy * cy) <= rad)
            {
                return -1;
            }
        }
        double mx = 0.5 * (d0x + d1x), my = 0.5 * (d0y + d1y), mn = Math.Sqrt(mx * mx + my * my);
        a0x = a1x = rad * mx / mn;
        a0y = a1y = rad * my / mn;
        double a = rad / len0, b = rad / len1;
        double cosG = (len0 * len0 + len1 * len1 - dd) / (2 * len0 * len1);
        if (cosG < -1 + MinVal)
        {
            return -1;
        }
        if (cosG > 1 - MinVal)
        {
            return 0;
        }
        double g = Math.Acos(cosG);
        double z = 1 - 1e-7;
        double f = Math.Asin(a * z) + Math.Asin(b * z) - 2 * Math.Asin(z) + g;
        if (f > 0)
        {
            return 0;
        }
        int iter = 0;
        for (; iter < 20 && Math.Abs(f) > 1e-6; iter++)
        {
            double df = a / Math.Max(MinVal, Math.Sqrt(1 - z * z * a * a)) + b / Math.Max(MinVal, Math.Sqrt(1 - z * z * b * b))
                - 2 / Math.Max(MinVal, Math.Sqrt(1 - z * z));
            double next = z - f / df;
            if (df > -MinVal || next > z)
            {
                return 0;
            }
            z = next;
            f = Math.Asin(a * z) + Math.Asin(b * z) - 2 * Math.Asin(z) + g;
            if (f > 1e-6)
            {
                return 0;
            }
        }
        if (iter >= 20)
        {
            return 0;
        }
        // The contact's central angle from d0 (or d1, whichever the turn from d0 to d1 is counter-clockwise from).
        bool fromFirst = d0x * d1y - d0y * d1x > 0;
        double vx = fromFirst ? d0x / len0 : d1x / len1, vy = fromFirst ? d0y / len0 : d1y / len1;
        double angle = Math.Asin(z) - Math.Asin((fromFirst ? a : b) * z);
        a0x = a1x = rad * (Math.Cos(angle) * vx - Math.Sin(angle) * vy);
        a0y = a1y = rad * (Math.Sin(angle) * vx + Math.Cos(angle) * vy);
        return 0;
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
