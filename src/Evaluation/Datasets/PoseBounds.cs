using System.Globalization;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets;

/// <summary>What a reader does with a pose component beyond ±4π rad.</summary>
public enum OutOfRangePoses
{
    /// <summary>Refuse the file, naming file, field and value (the default: such a value is corrupt data).</summary>
    Refuse,

    /// <summary>Clamp to ±4π and say so in one warning line per file (<c>--clamp-poses</c>).</summary>
    Clamp,
}

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
                throw OutOfRange(poses, i, source, field);
            }
        }
        return poses;
    }

    /// <summary>
    /// Under <see cref="OutOfRangePoses.Clamp"/> clamps finite components beyond ±4π in place and returns how many it
    /// clamped (non-finite ones are still refused: there is no pose to clamp to); otherwise <see cref="Check"/>.
    /// </summary>
    public static int Apply(float[] poses, string source, string field, OutOfRangePoses mode)
    {
        if (mode == OutOfRangePoses.Refuse)
        {
            Check(poses, source, field);
            return 0;
        }
        int clamped = 0;
        for (int i = 0; i < poses.Length; i++)
        {
            float v = poses[i];
            if (Math.Abs(v) <= AbsMax)
            {
                continue;
            }
            if (!float.IsFinite(v))
            {
                throw OutOfRange(poses, i, source, field);
            }
            poses[i] = Math.Clamp(v, -AbsMax, AbsMax);
            clamped++;
        }
        return clamped;
    }

    /// <summary>The one warning line of a file whose poses were clamped (nothing when none was).</summary>
    public static void WarnClamped(string source, string field, int clamped, int total)
    {
        if (clamped > 0)
        {
            // The logger is looked up per call (rare): a static one would keep whatever logger existed at type load.
            Serilog.Log.ForContext(typeof(PoseBounds)).Warning("{File}: clamped {Clamped} of {Total} values of {Field} to ±4π rad (--clamp-poses); they were far outside every joint limit",
                source, clamped, total, field);
        }
    }

    private static DataFormatException OutOfRange(float[] poses, int i, string source, string field)
    {
        int frame = i / ManoJoints.PoseSize;
        int joint = i % ManoJoints.PoseSize / 3;
        return new DataFormatException(source, string.Create(CultureInfo.InvariantCulture, $"{field}[{frame}][{joint * 3 + i % 3}]"),
            string.Create(CultureInfo.InvariantCulture, $"{poses[i]:G6} rad (frame {frame}, joint {joint}, axis {"xyz"[i % 3]}) is far outside any joint limit (|angle| <= 4π); pass --clamp-poses to clamp such values instead"));
    }
}
