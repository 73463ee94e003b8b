using System.Runtime.CompilerServices;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Muscles.Wrapping;

/// <summary>
/// <see cref="WrapSolver"/>'s rules for a bundle of lanes, branch-free within the bundle: both tangent solutions are
/// computed and selected per lane. The caller decides what a lane that does not wrap gets (a straight segment).
/// </summary>
internal static class WrapKernel<T> where T : unmanaged, ILane<T>
{
    /// <summary>Safeguarded Newton steps of the inside wrap's contact (float precision from the arc split's start).</summary>
    internal const int InsideIterations = 8;

    /// <summary>
    /// Tangent points <paramref name="t0"/>, <paramref name="t1"/> of the segment pa-pb around <paramref name="shape"/>,
    /// everything in the wrap body's frame; returns the arc (helix on a cylinder) length, 0 where a lane does not wrap,
    /// and the lanes that wrap in <paramref name="valid"/> (elsewhere t0 and t1 are undefined). A bundle in which no
    /// lane's segment reaches the surface returns after the cheap reach test.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Solve(in WrapShape shape, in Vec3<T> pa, in Vec3<T> pb, out Vec3<T> t0, out Vec3<T> t1, out T valid)
    {
        T zero = T.Zero;
        T one = T.One;
        var c = Vec3<T>.Splat(shape.Cx, shape.Cy, shape.Cz);
        Vec3<T> r0 = pa - c;
        Vec3<T> r1 = pb - c;
        Vec3<T> e0, e1;
        T sdx, sdy;
        valid = T.GreaterThan(one, zero);
        if (shape.Sphere)
        {
            // The circle lies in the plane through the centre and both ends.
            T n0 = T.Sqrt(Vec3<T>.Dot(r0, r0));
            e0 = r0 * (one / T.Max(n0, T.Splat(1e-12f)));
            var n = Vec3<T>.Cross(r0, r1);
            T nn = T.Sqrt(Vec3<T>.Dot(n, n));
            valid = T.GreaterThan(nn, T.Splat(1e-14f));
            e1 = Vec3<T>.Cross(n * (one / T.Max(nn, T.Splat(1e-20f))), e0);
            var s = Vec3<T>.Splat(shape.Sx, shape.Sy, shape.Sz);
            sdx = Vec3<T>.Dot(s, e0);
            sdy = Vec3<T>.Dot(s, e1);
        }
        else
        {
            e0 = Vec3<T>.Splat(shape.E0x, shape.E0y, shape.E0z);
            e1 = Vec3<T>.Splat(shape.E1x, shape.E1y, shape.E1z);
            sdx = T.Splat(shape.SideE0);
            sdy = T.Splat(shape.SideE1);
        }
        T d0x = Vec3<T>.Dot(r0, e0);
        T d0y = Vec3<T>.Dot(r0, e1);
        T d1x = Vec3<T>.Dot(r1, e0);
        T d1y = Vec3<T>.Dot(r1, e1);
        T ax, ay, bx, by, wlen;
        if (shape.Rule == WrapRule.Inside)
        {
            valid = And(valid, Touches(d0x, d0y, d1x, d1y, shape.Radius));
            if (!T.AnyTrue(valid))
            {
                t0 = default;
                t1 = default;
                return zero;
            }
            // The path touches the circle at one point: both tangent points there, no arc.
            Touch(d0x, d0y, d1x, d1y, shape.Radius, out ax, out ay);
            bx = ax;
            by = ay;
            wlen = zero;
        }
        else
        {
            valid = And(valid, Reaches(d0x, d0y, d1x, d1y, shape.Radius, shape.HasSide, sdx, sdy));
            if (!T.AnyTrue(valid))
            {
                t0 = default;
                t1 = default;
                return zero;
            }
            wlen = Circle(d0x, d0y, d1x, d1y, shape.Radius, shape.HasSide, sdx, sdy, ref valid, out ax, out ay, out bx, out by);
        }
        Vec3<T> q0 = e0 * ax + e1 * ay;
        Vec3<T> q1 = e0 * bx + e1 * by;
        if (!shape.Sphere)
        {
            // Helix: the height along the axis is shared out in proportion to the unrolled path.
            var ez = Vec3<T>.Splat(shape.Ezx, shape.Ezy, shape.Ezz);
            T z0 = Vec3<T>.Dot(r0, ez);
            T z1 = Vec3<T>.Dot(r1, ez);
            T l0 = T.Sqrt((d0x - ax) * (d0x - ax) + (d0y - ay) * (d0y - ay));
            T l1 = T.Sqrt((d1x - bx) * (d1x - bx) + (d1y - by) * (d1y - by));
            T invTotal = one / T.Max(l0 + wlen + l1, T.Splat(1e-12f));
            T h0 = z0 + (z1 - z0) * l0 * invTotal;
            T h1 = z0 + (z1 - z0) * (l0 + wlen) * invTotal;
            q0 = Vec3<T>.MulAdd(ez, h0, q0);
            q1 = Vec3<T>.MulAdd(ez, h1, q1);
            T h = h1 - h0;
            wlen = T.Sqrt(wlen * wlen + h * h);
        }
        t0 = c + q0;
        t1 = c + q1;
        return T.Select(valid, wlen, zero);
    }

    /// <summary>
    /// Lanes whose segment (2-D, relative to the centre) can wrap: both ends outside the circle and the line either
    /// crossing it or passing on the side away from the side point (on the side point's side it stays straight).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Reaches(T d0x, T d0y, T d1x, T d1y, float radius, bool hasSide, T sdx, T sdy)
    {
        T zero = T.Zero;
        T r2 = T.Splat(radius * radius);
        T sq0 = d0x * d0x + d0y * d0y;
        T sq1 = d1x * d1x + d1y * d1y;
        T valid = And(T.GreaterThan(sq0, r2), T.GreaterThan(sq1, r2));
        T difx = d1x - d0x;
        T dify = d1y - d0y;
        T dd = difx * difx + dify * dify;
        valid = And(valid, T.GreaterThan(dd, T.Splat(1e-18f)));
        T a = T.Min(T.Max(-(difx * d0x + dify * d0y) / T.Max(dd, T.Splat(1e-18f)), zero), T.One);
        T cx = a * difx + d0x;
        T cy = a * dify + d0y;
        T clear = T.GreaterThan(cx * cx + cy * cy, r2);
        if (hasSide)
        {
            clear = And(clear, Not(T.LessThan(sdx * cx + sdy * cy, zero)));
        }
        return And(valid, Not(clear));
    }

    /// <summary>
    /// Lanes whose segment takes the inside wrap: both ends outside the circle and the segment missing it (a segment
    /// through the circle already touches it and stays straight).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Touches(T d0x, T d0y, T d1x, T d1y, float radius)
    {
        T zero = T.Zero;
        T r2 = T.Splat(radius * radius);
        T valid = And(T.GreaterThan(d0x * d0x + d0y * d0y, r2), T.GreaterThan(d1x * d1x + d1y * d1y, r2));
        T difx = d1x - d0x;
        T dify = d1y - d0y;
        T dd = difx * difx + dify * dify;
        T a = -(difx * d0x + dify * d0y) / T.Max(dd, T.Splat(1e-18f));
        T cx = a * difx + d0x;
        T cy = a * dify + d0y;
        T crosses = And(And(T.GreaterThan(dd, T.Splat(1e-18f)), T.GreaterThan(a, zero)), And(T.LessThan(a, T.One), Not(T.GreaterThan(cx * cx + cy * cy, r2))));
        return And(valid, Not(crosses));
    }

    /// <summary>
    /// The inside wrap's contact point (cx, cy): the point of the circle where the path d0-P-d1 is shortest, i.e.
    /// reflects (what MuJoCo's wrap_inside solves for in the sine of the reflection angle). The contact lies on the
    /// short arc from d0's direction to d1's, at angle th in [0, G], where dL/dth goes from negative to positive:
    /// Newton on th, kept inside that bracket (a bisection where a step would leave it), from the split of G in
    /// proportion to the arcs each end sees (acos(r/|d|)), which is close wherever one end is near the circle.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Touch(T d0x, T d0y, T d1x, T d1y, float radius, out T cx, out T cy)
    {
        T zero = T.Zero;
        T one = T.One;
        T tiny = T.Splat(1e-20f);
        T rad = T.Splat(radius);
        T r2 = T.Splat(radius * radius);
        T l0 = T.Sqrt(d0x * d0x + d0y * d0y);
        T l1 = T.Sqrt(d1x * d1x + d1y * d1y);
        T ux = d0x / l0;
        T uy = d0y / l0;
        T inv01 = one / (l0 * l1);
        T cosG = (d0x * d1x + d0y * d1y) * inv01;
        T sinG = (d0x * d1y - d0y * d1x) * inv01;
        // v: the unit direction across u towards d1, so P(th) = r (cos th u + sin th v) runs from d0's direction to d1's.
        T turn = T.Select(T.LessThan(sinG, zero), -one, one);
        T vx = -uy * turn;
        T vy = ux * turn;
        T g = Atan2Positive(T.Abs(sinG), cosG);
        T a = rad / l0;
        T b = rad / l1;
        T seen0 = Atan2Positive(T.Sqrt(T.Max(one - a * a, zero)), a);
        T seen1 = Atan2Positive(T.Sqrt(T.Max(one - b * b, zero)), b);
        T th = g * seen0 / T.Max(seen0 + seen1, tiny);
        T lo = zero;
        T hi = g;
        T half = T.Splat(0.5f);
        for (int it = 0; it < InsideIterations; it++)
        {
            T.SinCos(th, out T sn, out T cs);
            T px = rad * (cs * ux + sn * vx);
            T py = rad * (cs * uy + sn * vy);
            T tx = rad * (cs * vx - sn * ux);
            T ty = rad * (cs * vy - sn * uy);
            T g0x = px - d0x;
            T g0y = py - d0y;
            T g1x = px - d1x;
            T g1y = py - d1y;
            T i0 = one / T.Sqrt(T.Max(g0x * g0x + g0y * g0y, tiny));
            T i1 = one / T.Sqrt(T.Max(g1x * g1x + g1y * g1y, tiny));
            // dL/dth = sum of unit(P - d) . dP/dth; d2L/dth2 adds the curvature of each piece and -unit(P - d) . P.
            T ut0 = (g0x * tx + g0y * ty) * i0;
            T ut1 = (g1x * tx + g1y * ty) * i1;
            T up0 = (g0x * px + g0y * py) * i0;
            T up1 = (g1x * px + g1y * py) * i1;
            T slope = ut0 + ut1;
            T curvature = (r2 - ut0 * ut0) * i0 + (r2 - ut1 * ut1) * i1 - up0 - up1;
            T past = T.GreaterThan(slope, zero);
            hi = T.Select(past, th, hi);
            lo = T.Select(past, lo, th);
            T next = th - slope / T.Select(T.GreaterThan(curvature, zero), curvature, one);
            T newton = And(T.GreaterThan(curvature, zero), And(Not(T.LessThan(next, lo)), Not(T.GreaterThan(next, hi))));
            th = T.Select(newton, next, (lo + hi) * half);
        }
        T.SinCos(th, out T s, out T c);
        cx = rad * (c * ux + s * vx);
        cy = rad * (c * uy + s * vy);
    }

    /// <summary>
    /// MuJoCo's wrap_circle for lanes that reach the circle: both tangent solutions, the one the side point (or the
    /// shorter arc) prefers and whose tangents do not cross, then the arc length. Clears <paramref name="valid"/>
    /// where the chosen tangents still cross.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Circle(T d0x, T d0y, T d1x, T d1y, float radius, bool hasSide, T sdx, T sdy, ref T valid,
        out T ax, out T ay, out T bx, out T by)
    {
        T zero = T.Zero;
        T one = T.One;
        T tiny = T.Splat(1e-12f);
        T rad = T.Splat(radius);
        T r2 = T.Splat(radius * radius);
        T sq0 = d0x * d0x + d0y * d0y;
        T sq1 = d1x * d1x + d1y * d1y;
        T s0 = T.Sqrt(T.Max(sq0 - r2, zero)) * rad;
        T s1 = T.Sqrt(T.Max(sq1 - r2, zero)) * rad;
        T inv0 = one / T.Max(sq0, tiny);
        T inv1 = one / T.Max(sq1, tiny);
        // Solution 0 (sgn = +1) and 1 (sgn = -1).
        T ax0 = (d0x * r2 + d0y * s0) * inv0;
        T ay0 = (d0y * r2 - d0x * s0) * inv0;
        T bx0 = (d1x * r2 - d1y * s1) * inv1;
        T by0 = (d1y * r2 + d1x * s1) * inv1;
        T ax1 = (d0x * r2 - d0y * s0) * inv0;
        T ay1 = (d0y * r2 + d0x * s0) * inv0;
        T bx1 = (d1x * r2 + d1y * s1) * inv1;
        T by1 = (d1y * r2 - d1x * s1) * inv1;
        T good0, good1;
        if (hasSide)
        {
            good0 = SideGoodness(ax0 + bx0, ay0 + by0, sdx, sdy);
            good1 = SideGoodness(ax1 + bx1, ay1 + by1, sdx, sdy);
        }
        else
        {
            good0 = -((ax0 - bx0) * (ax0 - bx0) + (ay0 - by0) * (ay0 - by0));
            good1 = -((ax1 - bx1) * (ax1 - bx1) + (ay1 - by1) * (ay1 - by1));
        }
        T penalty = T.Splat(-10000f);
        good0 = T.Select(Intersect(d0x, d0y, ax0, ay0, d1x, d1y, bx0, by0), penalty, good0);
        good1 = T.Select(Intersect(d0x, d0y, ax1, ay1, d1x, d1y, bx1, by1), penalty, good1);
        T first = T.GreaterThan(good0, good1);
        ax = T.Select(first, ax0, ax1);
        ay = T.Select(first, ay0, ay1);
        bx = T.Select(first, bx0, bx1);
        by = T.Select(first, by0, by1);
        valid = And(valid, Not(Intersect(d0x, d0y, ax, ay, d1x, d1y, bx, by)));
        return rad * ArcAngle(ax, ay, bx, by, first);
    }

    /// <summary>Arc angle from a to b: in [0, pi] from atan2, then the long way round where the chosen sense demands it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ArcAngle(T ax, T ay, T bx, T by, T first)
    {
        T cr = ay * bx - ax * by;
        T angle = Atan2Positive(T.Abs(cr), ax * bx + ay * by);
        T longWay = T.Select(first, T.LessThan(cr, T.Zero), T.GreaterThan(cr, T.Zero));
        return T.Select(longWay, T.Splat(2 * MathF.PI) - angle, angle);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SideGoodness(T mx, T my, T sdx, T sdy) =>
        (mx * sdx + my * sdy) / T.Max(T.Sqrt(mx * mx + my * my), T.Splat(1e-20f));

    /// <summary>Do the 2-D segments p1-p2 and p3-p4 intersect (per lane mask).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Intersect(T p1x, T p1y, T p2x, T p2y, T p3x, T p3y, T p4x, T p4y)
    {
        T zero = T.Zero;
        T one = T.One;
        T det = (p4y - p3y) * (p2x - p1x) - (p4x - p3x) * (p2y - p1y);
        T ok = T.GreaterThan(T.Abs(det), T.Splat(1e-20f));
        T inv = one / T.Select(ok, det, one);
        T a = ((p4x - p3x) * (p1y - p3y) - (p4y - p3y) * (p1x - p3x)) * inv;
        T b = ((p2x - p1x) * (p1y - p3y) - (p2y - p1y) * (p1x - p3x)) * inv;
        T inside = And(And(Not(T.LessThan(a, zero)), Not(T.GreaterThan(a, one))), And(Not(T.LessThan(b, zero)), Not(T.GreaterThan(b, one))));
        return And(ok, inside);
    }

    /// <summary>atan2(y, x) for y &gt;= 0, in [0, pi]; Cephes atanf's reduction and polynomial (float accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Atan2Positive(T y, T x)
    {
        T ax = T.Abs(x);
        T big = T.Max(ax, y);
        T small = T.Min(ax, y);
        T t = small / T.Max(big, T.Splat(1e-30f));
        // t in [0, 1]: above tan(pi/8) use atan(t) = pi/4 + atan((t - 1) / (t + 1)).
        T reduce = T.GreaterThan(t, T.Splat(0.41421356f));
        T u = T.Select(reduce, (t - T.One) / (t + T.One), t);
        T z = u * u;
        T p = T.MulAdd(T.MulAdd(T.MulAdd(T.Splat(8.05374449538e-2f), z, T.Splat(-1.38776856032e-1f)), z, T.Splat(1.99777106478e-1f)), z, T.Splat(-3.33329491539e-1f));
        T r = T.MulAdd(p * z, u, u) + T.Select(reduce, T.Splat(MathF.PI / 4), T.Zero);
        r = T.Select(T.GreaterThan(y, ax), T.Splat(MathF.PI / 2) - r, r);
        return T.Select(T.LessThan(x, T.Zero), T.Splat(MathF.PI) - r, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T And(T a, T b) => T.Select(a, b, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Not(T a) => T.Select(a, T.Zero, T.GreaterThan(T.One, T.Zero));
}
