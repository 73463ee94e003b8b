using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.DexYcb;

/// <summary>A DexYCB split.</summary>
public enum DexYcbSplitName
{
    Train,
    Val,
    Test,
}

/// <summary>One image sample of a split, with its official running index.</summary>
public sealed record DexYcbSample(
    int Index,
    int SubjectIndex,
    string Subject,
    int SequenceIndex,
    string Sequence,
    int CameraIndex,
    string Serial,
    int Frame,
    string ManoSide)
{
    public string LabelPath(string root) => DexYcbLayout.LabelPath(root, Subject, Sequence, Serial, Frame);

    /// <summary>Key of the video this frame belongs to: one sequence seen by one camera.</summary>
    public string VideoKey => $"{Subject}/{Sequence}/{Serial}";
}

/// <summary>
/// Setup s0 (dex_ycb.py): sequence index i = position in the ordinal-sorted sequence folders of a subject;
/// train = subjects 0-9 with i % 5 != 4; val = subjects 0-1 with i % 5 == 4; test = subjects 2-9 with
/// i % 5 == 4; all 8 cameras. Samples are numbered subject → sequence → camera (_SERIALS order) → frame.
/// </summary>
public static class DexYcbSplit
{
    public static IReadOnlyList<int> SubjectIndices(DexYcbSplitName split) => split switch
    {
        DexYcbSplitName.Train => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        DexYcbSplitName.Val => [0, 1],
        _ => [2, 3, 4, 5, 6, 7, 8, 9],
    };

    public static bool IncludesSequence(DexYcbSplitName split, int sequenceIndex) =>
        split == DexYcbSplitName.Train ? sequenceIndex % 5 != 4 : sequenceIndex % 5 == 4;

    /// <summary>
    /// Lists the samples of an s0 split under <paramref name="root"/>. Every subject folder of the split must
    /// exist (a missing one would silently shift every later index). The toolkit also asserts 100 sequences
    /// per subject; this reader accepts fewer so that small fixtures work, and numbers them the same way.
    /// </summary>
    public static IReadOnlyList<DexYcbSample> Enumerate(string root, DexYcbSplitName split)
    {
        var samples = new List<DexYcbSample>();
        foreach (int subjectIndex in SubjectIndices(split))
        {
            string subject = DexYcbLayout.Subjects[subjectIndex];
            string subjectDir = Path.Combine(root, subject);
            if (!Directory.Exists(subjectDir))
            {
                throw new DataFormatException(subjectDir, "subject folder", $"is missing; split {split} needs subject {subjectIndex}");
            }

            string[] sequences = Directory.GetDirectories(subjectDir).Select(Path.GetFileName).OfType<string>()
                .Order(StringComparer.Ordinal).ToArray();
            for (int i = 0; i < sequences.Length; i++)
            {
                if (!IncludesSequence(split, i))
                {
                    continue;
                }

                var meta = DexYcbMeta.Read(DexYcbLayout.MetaPath(root, subject, sequences[i]));
                for (int c = 0; c < DexYcbLayout.Serials.Count; c++)
                {
                    for (int f = 0; f < meta.NumFrames; f++)
                    {
                        samples.Add(new DexYcbSample(samples.Count, subjectIndex, subject, i, sequences[i], c, DexYcbLayout.Serials[c], f, meta.ManoSide));
                    }
                }
            }
        }

        return samples;
    }
}
