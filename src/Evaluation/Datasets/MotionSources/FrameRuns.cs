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

    /// <summary>The motion name, with the run's first frame number appended when the video was split.</summary>
    public static string Name(string key, int start, int length, int total, int firstFrame = 0) =>
        start == 0 && length == total ? key : $"{key}@{firstFrame + start}";
}
