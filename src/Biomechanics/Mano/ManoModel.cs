using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Biomechanics.Mano;

/// <summary>
/// The parts of a MANO hand model (MANO_RIGHT.pkl or an .npz with the same keys) this project uses. Arrays are dense,
/// row-major (C order) doubles. The licensed file is never shipped; it is read from the user's disk.
/// </summary>
public sealed class ManoModel
{
    public const int VertexCount = 778;
    public const int JointCount = 16;
    public const int ShapeCount = 10;
    public const int PoseBlendCount = 135;
    public const int FaceCount = 1538;

    public required string Source { get; init; }
    /// <summary>v_template, 778 x 3 (m).</summary>
    public required double[] VTemplate { get; init; }
    /// <summary>shapedirs, 778 x 3 x 10 (the first ten shape components).</summary>
    public required double[] ShapeDirs { get; init; }
    /// <summary>J_regressor as a dense 16 x 778 matrix.</summary>
    public required double[] JRegressor { get; init; }
    /// <summary>Kinematic parents from kintree_table row 0 (-1 for the root).</summary>
    public required int[] Parents { get; init; }
    /// <summary>hands_components, 45 x 45 (rows are principal components).</summary>
    public required double[] HandsComponents { get; init; }
    /// <summary>hands_mean, 45.</summary>
    public required double[] HandsMean { get; init; }
    /// <summary>Skinning weights, 778 x 16.</summary>
    public required double[] Weights { get; init; }
    /// <summary>Triangles, 1538 x 3 vertex indices.</summary>
    public required int[] Faces { get; init; }
    /// <summary>posedirs, 778 x 3 x 135.</summary>
    public required double[] PoseDirs { get; init; }

    /// <summary>Shaped vertices v = v_template + shapedirs * betas (up to 10 betas; missing ones are zero).</summary>
    public double[] ShapedVertices(ReadOnlySpan<double> betas)
    {
        if (betas.Length > ShapeCount)
        {
            throw new ArgumentException($"MANO takes at most {ShapeCount} betas, got {betas.Length}.");
        }
        double[] v = (double[])VTemplate.Clone();
        for (int i = 0; i < VertexCount * 3; i++)
        {
            double sum = 0;
            for (int b = 0; b < betas.Length; b++)
            {
                sum += ShapeDirs[i * ShapeCount + b] * betas[b];
            }
            v[i] += sum;
        }
        return v;
    }

    /// <summary>Rest joints J = J_regressor (v_template + shapedirs * betas), in MANO's frame (m).</summary>
    public Vec3[] Joints(ReadOnlySpan<double> betas)
    {
        double[] v = ShapedVertices(betas);
        var joints = new Vec3[JointCount];
        for (int j = 0; j < JointCount; j++)
        {
            double x = 0, y = 0, z = 0;
            for (int k = 0; k < VertexCount; k++)
            {
                double w = JRegressor[j * VertexCount + k];
                if (w != 0)
                {
                    x += w * v[k * 3];
                    y += w * v[k * 3 + 1];
                    z += w * v[k * 3 + 2];
                }
            }
            joints[j] = new Vec3(x, y, z);
        }
        return joints;
    }
}
