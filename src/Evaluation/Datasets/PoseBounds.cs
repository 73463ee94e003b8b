using System.Globalization;
using MsMano.ModelFormats;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Datasets;

/// <summary>
/// Axis-angle MANO poses read from a file must be hand poses: any rotation has an axis-angle of norm at most π, and
/// files in the wild wrap up to 2π, so a component beyond ±4π rad (far outside every joint limit) is corrupt data,
/// not a pose. Refused with the file, the field (frame, joint, axis) and the value; finite-only checks let a 1e30 through.
/// </summary>
public static class PoseBounds
{
    public const float AbsMax = 4f * MathF.PI;

    /// <summary>Throws <see cref="DataFormatException"/> for the first component of <paramref name="poses"/> ([frames, 16, 3]) beyond ±4π.</summary>
    public static float[] Check(float[] poses, string source, string field)
    {
        for (int i = 0; i < poses.Length; i++)
        {
            if (!(Math.Abs(poses[i]) <= AbsMax))
            {
                int frame = i / ManoJoints.PoseSize;
                int joint = i % ManoJoints.PoseSize / 3;
                throw new DataFormatException(source, string.Create(CultureInfo.InvariantCulture, $"{field}[{frame}][{joint * 3 + i % 3}]"),
                    string.Create(CultureInfo.InvariantCulture, $"{poses[i]:G6} rad (frame {frame}, joint {joint}, axis {"xyz"[i % 3]}) is far outside any joint limit (|angle| <= 4π)"));
            }
        }
        return poses;
    }
}
