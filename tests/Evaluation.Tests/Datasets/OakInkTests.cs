using MsMano.Evaluation.Datasets.OakInk;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Evaluation.Tests.Datasets;

public sealed class OakInkTests
{
    [Fact]
    public void Info_string_and_ordering_follow_oikit()
    {
        var entry = new OakInkEntry("A01001_0001_0000/2021-09-26-19-59-58", 0, 90, 1);
        Assert.Equal("A01001_0001_0000__2021-09-26-19-59-58__0__90__1", entry.InfoString);
        Assert.Equal("A01001_0001_0000/2021-09-26-19-59-58/south_east_color_90.png", entry.ImagePath);
        Assert.Equal(1090, (entry with { SubjectFlag = 1 }).TemporalKey);
        Assert.Equal(Path.Combine("anno", "split", "split0", "seq_test.json"), OakInkSplit.FilePath("anno", OakInkSplitName.SP0, test: true));
    }

    [Fact]
    public void Split_and_hand_joints_load_into_videos_with_gaps()
    {
        using var dir = new TempDir();
        string anno = dir.File("anno");
        string split = OakInkSplit.FilePath(anno, OakInkSplitName.SP0, test: true);
        Directory.CreateDirectory(Path.GetDirectoryName(split)!);
        // Out of order on purpose; frame 12 of view 2 is missing (dropped by the split); a handover hand sbj 1.
        File.WriteAllText(split, """
            [["S1_0001_0002/2021-10-01-10-00-00", 0, 13, 2], ["S1_0001_0002/2021-10-01-10-00-00", 0, 10, 2],
             ["S1_0001_0002/2021-10-01-10-00-00", 0, 11, 2], ["S1_0001_0002/2021-10-01-10-00-00", 1, 10, 2],
             ["S1_0001_0002/2021-10-01-10-00-00", 0, 10, 3]]
            """);
        IReadOnlyList<OakInkEntry> entries = OakInkSplit.Read(split);
        Assert.Equal(5, entries.Count);
        int protocol = 2;
        foreach (OakInkEntry e in entries)
        {
            float[] joints = Enumerable.Range(0, 63).Select(i => (float)((e.Frame * 0.01) + (i * 0.001))).ToArray();
            string path = OakInkAnnotations.HandJointsPath(anno, e);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Alternate a Python-2-style and a protocol-4 pickle of the numpy array.
            PickleWriter.WriteFile(path, NdArray.FromFloats(joints, 21, 3), protocol, python2Strings: protocol == 2);
            protocol = protocol == 2 ? 4 : 2;
        }

        IReadOnlyList<OakInkVideo> videos = OakInkAnnotations.LoadVideos(anno, entries);
        Assert.Equal(3, videos.Count);
        OakInkVideo main = videos.Single(v => v.Key.EndsWith("view2/sbj0", StringComparison.Ordinal));
        Assert.Equal(10, main.FirstFrame);
        Assert.Equal([true, true, false, true], main.Valid);
        Assert.Equal(0.11 + 0.001, main.JointsM[1, 0, 1], 5);
        Assert.Equal(0.0, main.JointsM[2, 5, 0]);
    }

    [Fact]
    public void Bad_split_items_and_hand_joint_files_are_clear_errors()
    {
        using var dir = new TempDir();
        string split = dir.File("seq_test.json");
        File.WriteAllText(split, """[["A/B", 0, 1, 0], ["A/B", 0, "x", 0]]""");
        DataFormatException badFrame = Assert.Throws<DataFormatException>(() => OakInkSplit.Read(split));
        Assert.Contains("item 1[2] (frame)", badFrame.Message);
        Assert.Contains("\"x\"", badFrame.Message);

        File.WriteAllText(split, """[["A/B", 0, 1, 7]]""");
        Assert.Contains("view_id 7", Assert.Throws<DataFormatException>(() => OakInkSplit.Read(split)).Message);

        File.WriteAllText(split, """[["A/B", 0, 1""");
        Assert.Contains(split, Assert.Throws<DataFormatException>(() => OakInkSplit.Read(split)).Message);

        string pkl = dir.File("hand_j", "x.pkl");
        PickleWriter.WriteFile(pkl, NdArray.FromFloats(new float[60], 20, 3), 2);
        DataFormatException shape = Assert.Throws<DataFormatException>(() => OakInkAnnotations.ReadHandJoints(pkl));
        Assert.Contains("hand_j", shape.Message);
        Assert.Contains("(20, 3)", shape.Message);

        PickleWriter.WriteFile(pkl, new Dictionary<object, object?> { ["hand_j"] = 1L }, 2);
        Assert.Contains("expected a numpy array", Assert.Throws<DataFormatException>(() => OakInkAnnotations.ReadHandJoints(pkl)).Message);

        float[] values = new float[63];
        values[62] = float.PositiveInfinity;
        PickleWriter.WriteFile(pkl, NdArray.FromFloats(values, 21, 3), 4);
        Assert.Contains("element 62", Assert.Throws<DataFormatException>(() => OakInkAnnotations.ReadHandJoints(pkl)).Message);

        byte[] bytes = PickleWriter.Write(NdArray.FromFloats(new float[63], 21, 3), 4);
        File.WriteAllBytes(pkl, bytes[..40]);
        DataFormatException truncated = Assert.Throws<DataFormatException>(() => OakInkAnnotations.ReadHandJoints(pkl));
        Assert.Contains(pkl, truncated.Message);
        Assert.Contains("truncated", truncated.Message);
    }
}
