using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Muscles;

/// <summary>
/// A serial-elastic tendon (Thelen 2003 force-strain: exponential toe to 0.33 F0, then linear, 4 % strain at F0)
/// in isometric equilibrium with the same muscle curves the simulator uses. The simulator, like MuJoCo/MyoHand,
/// takes the tendon as rigid; this quantifies what that costs in force.
/// </summary>
public static class TendonCompliance
{
    public const double StrainAtF0 = 0.04;
    private const double ToeForce = 0.33;
    private const double ToeShape = 3.0;
    private static readonly double s_toeStrain = 0.609 * StrainAtF0;
    private static readonly double s_linearStiffness = 1.712 / StrainAtF0;

    /// <summary>Tendon force in units of F0 at a given strain.</summary>
    public static double TendonForce(double strain)
    {
        if (strain <= 0)
        {
            return 0;
        }
        if (strain <= s_toeStrain)
        {
            return ToeForce / (Math.Exp(ToeShape) - 1) * (Math.Exp(ToeShape * strain / s_toeStrain) - 1);
        }
        return s_linearStiffness * (strain - s_toeStrain) + ToeForce;
    }

    /// <summary>Fibre force in units of F0 (active plus passive, isometric) at a normalised fibre length.</summary>
    public static double FiberForce(double lNorm, double activation, double lmin, double lmax, double fpmax)
    {
        var l = new Lane1((float)lNorm);
        double fl = MuscleCurves<Lane1>.ActiveForceLength(l, (float)lmin, (float)lmax).V;
        double fp = MuscleCurves<Lane1>.PassiveForce(l, (float)lmax, (float)fpmax).V;
        return activation * fl + fp;
    }

    /// <summary>Rigid-tendon force (units of F0) for a whole muscle-tendon length, as the simulator computes it.</summary>
    public static double RigidForce(double pathLength, double tendonLength, double l0, double activation, double lmin, double lmax, double fpmax) =>
        FiberForce((pathLength - tendonLength) / l0, activation, lmin, lmax, fpmax);

    /// <summary>
    /// Compliant-tendon force (units of F0): the tendon length where tendon force equals fibre force, found by
    /// bisection (the tendon force rises monotonically from zero at slack length).
    /// </summary>
    public static double CompliantForce(double pathLength, double tendonLength, double l0, double activation, double lmin, double lmax, double fpmax)
    {
        double lo = tendonLength;
        double hi = Math.Max(tendonLength, pathLength - lmin * l0 * 0.5);
        double Residual(double lt) => TendonForce((lt - tendonLength) / tendonLength) - FiberForce((pathLength - lt) / l0, activation, lmin, lmax, fpmax);
        if (Residual(lo) >= 0)
        {
            return 0;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Residual(mid) < 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return TendonForce((0.5 * (lo + hi) - tendonLength) / tendonLength);
    }
}
