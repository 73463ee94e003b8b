using System.Globalization;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>Splits a frame-validity mask into maximal runs of valid frames: a reference motion must be gap-free.</summary>
internal static class FrameRuns
{
    public static IEnumerable<(int Start, int Length)> Of(IReadOnlyList<bool> valid)
    {
        int start = -1;
        for (int f = 0; f <= valid.Count; f++)
        {
            bool ok = f < valid.Count && valid[f];
            if (ok && start < 0)
            {
                start = f;
            }
            else if (!ok && start >= 0)
            {
                yield return (start, f - start);
                start = -1;
            }
        }
    }

    /// <summary>
    /// The motion name: the video key, with the run's first frame number appended when the video was split or does not
    /// start at frame 0, so that a name alone says which dataset frames a motion covers (<see cref="Parse"/>).
    /// </summary>
    public static string Name(string key, int start, int length, int total, int firstFrame = 0) =>
        start == 0 && length == total && firstFrame == 0 ? key : $"{key}@{firstFrame + start}";

    /// <summary>
    /// The video key and first dataset frame of a motion name written by <see cref="Name"/>; a name without an
    /// "@&lt;frame&gt;" suffix (pose files, synthetic motions, whole videos) starts at frame 0.
    /// </summary>
    public static (string Video, int FirstFrame) Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int at = name.LastIndexOf('@');
        return at > 0 && int.TryParse(name.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int frame)
            ? (name[..at], frame)
            : (name, 0);
    }
}
