namespace MsMano.Biomechanics.Kinematics.Algebra;

/// <summary>The orthogonal Procrustes rotation: R maximising trace(Rᵀ M) for a 3×3 cross-covariance M = Σ q pᵀ.</summary>
public static class RotationFit
{
    /// <summary>
    /// R = U·diag(1, 1, d)·Vᵀ from M = U·S·Vᵀ, d = +1 when reflections are allowed, else det(U·Vᵀ) (a proper rotation).
    /// <paramref name="singularSum"/> = s₀ + s₁ + d·s₂, the optimal trace (the similarity scale's numerator).
    /// </summary>
    public static Mat3 Maximising(in Mat3 m, bool allowReflection, out Vec3 singularValues, out double singularSum)
    {
        (Mat3 u, Vec3 s, Mat3 v) = Svd3.Decompose(m);
        Mat3 r = u * v.Transpose();
        double d = 1;
        if (!allowReflection && r.Determinant() < 0)
        {
            d = -1;
            var flipped = Mat3.FromColumns(u.Column(0), u.Column(1), -u.Column(2));
            r = flipped * v.Transpose();
        }
        singularValues = s;
        singularSum = s.X + s.Y + d * s.Z;
        return r;
    }
}
