namespace MsMano.Evaluation.Metrics;

/// <summary>
/// Singular value decomposition of a 3×3 matrix, A = U·diag(S)·Vᵀ, by one-sided (Hestenes) Jacobi rotations.
/// One-sided Jacobi works on A's columns directly rather than on AᵀA, so small singular values keep full
/// relative accuracy. U and V are orthogonal (either determinant); S is sorted descending. Rank-deficient
/// inputs get an orthonormal completion of U.
/// </summary>
public static class Svd3
{
    private const int MaxSweeps = 64;

    public static (double[,] U, double[] S, double[,] V) Decompose(double[,] a)
    {
        if (a.GetLength(0) != 3 || a.GetLength(1) != 3)
        {
            throw new ArgumentException("Svd3 needs a 3×3 matrix.", nameof(a));
        }

        var w = (double[,])a.Clone();
        var v = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var rotated = false;
            for (var p = 0; p < 2; p++)
            {
                for (var q = p + 1; q < 3; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (var i = 0; i < 3; i++)
                    {
                        alpha += w[i, p] * w[i, p];
                        beta += w[i, q] * w[i, q];
                        gamma += w[i, p] * w[i, q];
                    }

                    if (gamma == 0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta))
                    {
                        continue;
                    }

                    rotated = true;
                    var zeta = (beta - alpha) / (2 * gamma);
                    var t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + (zeta * zeta)));
                    var c = 1 / Math.Sqrt(1 + (t * t));
                    var s = c * t;
                    RotateColumns(w, p, q, c, s);
                    RotateColumns(v, p, q, c, s);
                }
            }

            if (!rotated)
            {
                break;
            }
        }

        var sigma = new double[3];
        for (var j = 0; j < 3; j++)
        {
            sigma[j] = Math.Sqrt((w[0, j] * w[0, j]) + (w[1, j] * w[1, j]) + (w[2, j] * w[2, j]));
        }

        var order = new[] { 0, 1, 2 }.OrderByDescending(j => sigma[j]).ToArray();
        var u = new double[3, 3];
        var vs = new double[3, 3];
        var sorted = new double[3];
        var tolerance = 1e-13 * Math.Max(sigma[order[0]], double.Epsilon);
        var rank = 0;
        for (var k = 0; k < 3; k++)
        {
            var j = order[k];
            sorted[k] = sigma[j];
            for (var i = 0; i < 3; i++)
            {
                vs[i, k] = v[i, j];
            }

            if (sigma[j] > tolerance)
            {
                for (var i = 0; i < 3; i++)
                {
                    u[i, k] = w[i, j] / sigma[j];
                }

                rank++;
            }
        }

        CompleteBasis(u, rank);
        return (u, sorted, vs);
    }

    private static void RotateColumns(double[,] m, int p, int q, double c, double s)
    {
        for (var i = 0; i < 3; i++)
        {
            var mp = m[i, p];
            var mq = m[i, q];
            m[i, p] = (c * mp) - (s * mq);
            m[i, q] = (s * mp) + (c * mq);
        }
    }

    // Fills columns rank..2 of u so that u is orthonormal.
    private static void CompleteBasis(double[,] u, int rank)
    {
        if (rank == 0)
        {
            u[0, 0] = 1;
            rank = 1;
        }

        if (rank == 1)
        {
            // Any unit vector orthogonal to u0: cross with the axis least aligned with it.
            var axis = 0;
            for (var i = 1; i < 3; i++)
            {
                if (Math.Abs(u[i, 0]) < Math.Abs(u[axis, 0]))
                {
                    axis = i;
                }
            }

            var e = new double[3];
            e[axis] = 1;
            var c = Cross(Column(u, 0), e);
            SetColumn(u, 1, Normalize(c));
            rank = 2;
        }

        if (rank == 2)
        {
            SetColumn(u, 2, Normalize(Cross(Column(u, 0), Column(u, 1))));
        }
    }

    private static double[] Column(double[,] m, int j) => [m[0, j], m[1, j], m[2, j]];

    private static void SetColumn(double[,] m, int j, double[] c)
    {
        for (var i = 0; i < 3; i++)
        {
            m[i, j] = c[i];
        }
    }

    private static double[] Cross(double[] a, double[] b) =>
        [(a[1] * b[2]) - (a[2] * b[1]), (a[2] * b[0]) - (a[0] * b[2]), (a[0] * b[1]) - (a[1] * b[0])];

    private static double[] Normalize(double[] a)
    {
        var n = Math.Sqrt((a[0] * a[0]) + (a[1] * a[1]) + (a[2] * a[2]));
        return [a[0] / n, a[1] / n, a[2] / n];
    }
}
