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
        var one = T.One;
        var half = T.Splat(0.5f);
        var x1 = (l - T.Splat(lmin)) * T.Splat(1f / (a - lmin));
        var x2 = (one - l) * T.Splat(1f / (1f - a));
        var x3 = (l - one) * T.Splat(1f / (b - 1f));
        var x4 = (T.Splat(lmax) - l) * T.Splat(1f / (lmax - b));
        var f1 = half * x1 * x1;
        var f2 = one - half * x2 * x2;
        var f3 = one - half * x3 * x3;
        var f4 = half * x4 * x4;
        var result = T.Select(T.GreaterThan(l, T.Splat(b)), f4, f3);
        result = T.Select(T.GreaterThan(l, one), result, f2);
        result = T.Select(T.GreaterThan(l, T.Splat(a)), result, f1);
        var outside = T.Select(T.LessThan(l, T.Splat(lmin)), one, T.Select(T.GreaterThan(l, T.Splat(lmax)), one, T.Zero));
        return T.Select(T.GreaterThan(outside, T.Zero), T.Zero, result);
    }

    /// <summary>Force-velocity FV(V) and its slope; V &lt; 0 is shortening (V in units of L0 * vmax per second).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForceVelocity(T v, float fvmax, out T fv, out T slope)
    {
        float y = fvmax - 1f;
        var one = T.One;
        var vp1 = v + one;
        var shortening = vp1 * vp1;
        var shorteningSlope = T.Splat(2f) * vp1;
        var ym = T.Splat(y) - v;
        var lengthening = T.Splat(fvmax) - ym * ym * T.Splat(1f / y);
        var lengtheningSlope = T.Splat(2f / y) * ym;
        var isShort = T.GreaterThan(T.Splat(0f), v);
        var beyond = T.GreaterThan(v, T.Splat(y));
        var stalled = T.LessThan(v, -one);
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
        var one = T.One;
        var x = (l - one) * T.Splat(1f / (b - 1f));
        var quadratic = T.Splat(0.5f * fpmax) * x * x;
        var xl = (l - T.Splat(b)) * T.Splat(1f / (b - 1f));
        var linear = T.Splat(fpmax) * (T.Splat(0.5f) + xl);
        var result = T.Select(T.GreaterThan(l, T.Splat(b)), linear, quadratic);
        return T.Select(T.GreaterThan(l, one), result, T.Zero);
    }
}
