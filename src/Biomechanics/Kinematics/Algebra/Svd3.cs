namespace MsMano.Biomechanics.Kinematics.Algebra;

// Hand-written because the hot paths (Kabsch per frame, Procrustes per frame) need a 3x3 SVD without allocation; MathNet allocates per call.
/// <summary>
/// A = U·diag(S)·Vᵀ for a 3×3 matrix by one-sided (Hestenes) Jacobi rotations on A's columns, so small singular values
/// keep full relative accuracy. U and V are orthogonal (either determinant), S descending; rank-deficient U is completed.
/// </summary>
public static class Svd3
{
    private const int MaxSweeps = 64;

    public static (Mat3 U, Vec3 S, Mat3 V) Decompose(in Mat3 a)
    {
        // Column-major scratch: w[3j + i] = W[i, j]; v likewise.
        Span<double> w = [a.M00, a.M10, a.M20, a.M01, a.M11, a.M21, a.M02, a.M12, a.M22];
        Span<double> v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < 2; p++)
            {
                for (int q = p + 1; q < 3; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < 3; i++)
                    {
                        alpha += w[3 * p + i] * w[3 * p + i];
                        beta += w[3 * q + i] * w[3 * q + i];
                        gamma += w[3 * p + i] * w[3 * q + i];
                    }
                    if (gamma == 0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta))
                    {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double c = 1 / Math.Sqrt(1 + t * t);
                    double s = c * t;
                    RotateColumns(w, p, q, c, s);
                    RotateColumns(v, p, q, c, s);
                }
            }
            if (!rotated)
            {
                break;
            }
        }

        Span<double> sigma = stackalloc double[3];
        for (int j = 0; j < 3; j++)
        {
            sigma[j] = Math.Sqrt(w[3 * j] * w[3 * j] + w[3 * j + 1] * w[3 * j + 1] + w[3 * j + 2] * w[3 * j + 2]);
        }
        // Order the three columns by descending singular value (a three-element sorting network).
        int o0 = 0, o1 = 1, o2 = 2;
        if (sigma[o1] > sigma[o0]) (o0, o1) = (o1, o0);
        if (sigma[o2] > sigma[o1]) (o1, o2) = (o2, o1);
        if (sigma[o1] > sigma[o0]) (o0, o1) = (o1, o0);

        double tolerance = 1e-13 * Math.Max(sigma[o0], double.Epsilon);
        Vec3 u0 = UnitColumn(w, sigma, o0, tolerance, out bool has0);
        Vec3 u1 = UnitColumn(w, sigma, o1, tolerance, out bool has1);
        Vec3 u2 = UnitColumn(w, sigma, o2, tolerance, out bool has2);
        if (!has0)
        {
            u0 = new Vec3(1, 0, 0);
        }
        if (!has1)
        {
            u1 = AnyPerpendicular(u0);
        }
        if (!has2)
        {
            u2 = u0.Cross(u1).Normalized();
        }
        return (Mat3.FromColumns(u0, u1, u2), new Vec3(sigma[o0], sigma[o1], sigma[o2]), Mat3.FromColumns(Column(v, o0), Column(v, o1), Column(v, o2)));
    }

    private static void RotateColumns(Span<double> m, int p, int q, double c, double s)
    {
        for (int i = 0; i < 3; i++)
        {
            double mp = m[3 * p + i];
            double mq = m[3 * q + i];
            m[3 * p + i] = c * mp - s * mq;
            m[3 * q + i] = s * mp + c * mq;
        }
    }

    private static Vec3 Column(ReadOnlySpan<double> m, int j) => new(m[3 * j], m[3 * j + 1], m[3 * j + 2]);

    private static Vec3 UnitColumn(ReadOnlySpan<double> w, ReadOnlySpan<double> sigma, int j, double tolerance, out bool nonZero)
    {
        nonZero = sigma[j] > tolerance;
        return nonZero ? Column(w, j) * (1 / sigma[j]) : Vec3.Zero;
    }

    // A unit vector orthogonal to u: u crossed with the axis least aligned with it.
    private static Vec3 AnyPerpendicular(Vec3 u)
    {
        double ax = Math.Abs(u.X), ay = Math.Abs(u.Y), az = Math.Abs(u.Z);
        Vec3 axis = ax <= ay && ax <= az ? new Vec3(1, 0, 0) : ay <= az ? new Vec3(0, 1, 0) : new Vec3(0, 0, 1);
        return u.Cross(axis).Normalized();
    }
}
