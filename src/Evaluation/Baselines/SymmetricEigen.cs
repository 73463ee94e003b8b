namespace MsMano.Evaluation.Baselines;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations: accurate and simple for the
/// small (≤ 48 × 48) covariance matrices of pose PCA. Eigenvalues are returned in descending order with
/// eigenvectors as columns.
/// </summary>
public static class SymmetricEigen
{
    public static (double[] Values, double[,] Vectors) Decompose(double[,] symmetric, int maxSweeps = 100)
    {
        var n = symmetric.GetLength(0);
        if (symmetric.GetLength(1) != n)
        {
            throw new ArgumentException("Matrix must be square.", nameof(symmetric));
        }

        var a = (double[,])symmetric.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (var sweep = 0; sweep < maxSweeps; sweep++)
        {
            double off = 0, total = 0;
            for (var p = 0; p < n; p++)
            {
                for (var q = 0; q < n; q++)
                {
                    total += a[p, q] * a[p, q];
                    if (p != q)
                    {
                        off += a[p, q] * a[p, q];
                    }
                }
            }

            if (off <= 1e-30 * Math.Max(total, 1e-300))
            {
                break;
            }

            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k, p];
                        var vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = new double[n, n];
        for (var c = 0; c < n; c++)
        {
            for (var r = 0; r < n; r++)
            {
                vectors[r, c] = v[r, order[c]];
            }
        }

        return (values, vectors);
    }
}
