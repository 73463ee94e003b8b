namespace MsMano.Biomechanics.Kinematics.Algebra;

/// <summary>
/// The inverse of a small symmetric positive definite matrix (a joint-space inertia, at most a few dozen dofs) by
/// Gauss-Jordan elimination: without row swaps every pivot of such a matrix is positive, so a pivot that is not is the test.
/// </summary>
public static class SpdInverse
{
    /// <summary>A⁻¹, or null with the failing column when A is not numerically positive definite; A is left unchanged.</summary>
    public static double[,]? TryInvert(double[,] a, out int failedColumn)
    {
        int n = a.GetLength(0);
        double[,] m = (double[,])a.Clone();
        double[,] inv = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            inv[i, i] = 1;
        }
        for (int col = 0; col < n; col++)
        {
            double pivot = m[col, col];
            if (!(pivot > 0))
            {
                failedColumn = col;
                return null;
            }
            for (int j = 0; j < n; j++)
            {
                m[col, j] /= pivot;
                inv[col, j] /= pivot;
            }
            for (int r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }
                double f = m[r, col];
                for (int j = 0; j < n; j++)
                {
                    m[r, j] -= f * m[col, j];
                    inv[r, j] -= f * inv[col, j];
                }
            }
        }
        failedColumn = -1;
        return inv;
    }
}
