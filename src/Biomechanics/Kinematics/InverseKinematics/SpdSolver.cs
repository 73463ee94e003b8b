namespace MsMano.Biomechanics.Kinematics.InverseKinematics;

/// <summary>Solves A x = b for a small symmetric positive definite A (Cholesky, row-major n x n, overwritten).</summary>
internal static class SpdSolver
{
    /// <summary>False when A is not numerically positive definite (the caller raises the damping and retries).</summary>
    public static bool TrySolve(double[] a, int n, double[] b, double[] x)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++)
            {
                d -= a[j * n + k] * a[j * n + k];
            }
            if (!(d > 0))
            {
                return false;
            }
            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++)
                {
                    s -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = s / d;
            }
        }
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= a[i * n + k] * x[k];
            }
            x[i] = s / a[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= a[k * n + i] * x[k];
            }
            x[i] = s / a[i * n + i];
        }
        return true;
    }
}
