using System.Runtime.CompilerServices;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Muscles;

/// <summary>
/// MuJoCo's muscle curves (engine_util_misc.c: mju_muscleGain, mju_muscleBias), so the
/// shipped MyoHand parameters mean what they mean in MyoSuite. Branch-free: every piece is computed and selected.
/// </summary>
public static class MuscleCurves<T> where T : unmanaged, ILane<T>
{
    /// <summary>Active force-length FL(L): two half-quadratics each side of L = 1, zero outside [lmin, lmax].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ActiveForceLength(T l, float lmin, float lmax)
    {
        float a = 0.5f * (lmin + 1f);
        float b = 0.5f * (1f + lmax);
        T one = T.One;
        T half = T.Splat(0.5f);
        T x1 = (l - T.Splat(lmin)) * T.Splat(1f / (a - lmin));
        T x2 = (one - l) * T.Splat(1f / (1f - a));
        T x3 = (l - one) * T.Splat(1f / (b - 1f));
        T x4 = (T.Splat(lmax) - l) * T.Splat(1f / (lmax - b));
        T f1 = half * x1 * x1;
        T f2 = one - half * x2 * x2;
        T f3 = one - half * x3 * x3;
        T f4 = half * x4 * x4;
        T result = T.Select(T.GreaterThan(l, T.Splat(b)), f4, f3);
        result = T.Select(T.GreaterThan(l, one), result, f2);
        result = T.Select(T.GreaterThan(l, T.Splat(a)), result, f1);
        T outside = T.Select(T.LessThan(l, T.Splat(lmin)), one, T.Select(T.GreaterThan(l, T.Splat(lmax)), one, T.Zero));
        return T.Select(T.GreaterThan(outside, T.Zero), T.Zero, result);
    }

    /// <summary>Force-velocity FV(V) and its slope; V &lt; 0 is shortening (V in units of L0 * vmax per second).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForceVelocity(T v, float fvmax, out T fv, out T slope)
    {
        float y = fvmax - 1f;
        T one = T.One;
        T vp1 = v + one;
        T shortening = vp1 * vp1;
        T shorteningSlope = T.Splat(2f) * vp1;
        T ym = T.Splat(y) - v;
        T lengthening = T.Splat(fvmax) - ym * ym * T.Splat(1f / y);
        T lengtheningSlope = T.Splat(2f / y) * ym;
        T isShort = T.GreaterThan(T.Splat(0f), v);
        T beyond = T.GreaterThan(v, T.Splat(y));
        T stalled = T.LessThan(v, -one);
        fv = T.Select(isShort, shortening, T.Select(beyond, T.Splat(fvmax), lengthening));
        slope = T.Select(isShort, shorteningSlope, T.Select(beyond, T.Zero, lengtheningSlope));
        fv = T.Select(stalled, T.Zero, fv);
        slope = T.Select(stalled, T.Zero, slope);
    }

    /// <summary>Passive force FP(L) in units of F0: half-quadratic from 1 to b = (1 + lmax)/2, linear beyond.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T PassiveForce(T l, float lmax, float fpmax)
    {
        float b = 0.5f * (1f + lmax);
        T one = T.One;
        T x = (l - one) * T.Splat(1f / (b - 1f));
        T quadratic = T.Splat(0.5f * fpmax) * x * x;
        T xl = (l - T.Splat(b)) * T.Splat(1f / (b - 1f));
        T linear = T.Splat(fpmax) * (T.Splat(0.5f) + xl);
        T result = T.Select(T.GreaterThan(l, T.Splat(b)), linear, quadratic);
        return T.Select(T.GreaterThan(l, one), result, T.Zero);
    }
}
