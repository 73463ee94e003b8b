using System.Globalization;
using MsMano.Evaluation.Benchmark.FilePredictions;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.ModelFormats;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Evaluation.Tests.Datasets.Predictions;

/// <summary>gSDF's hand_pose/ folder and Deformer's pred_*.json read as the estimators write them (tiny synthetic fixtures).</summary>
public sealed class NativePredictionTests
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Rows(IEnumerable<double[]> rows) => "[" + string.Join(',', rows.Select(r => "[" + string.Join(',', r.Select(N)) + "]")) + "]";

    // Joint j of frame f: (f/100 + j/100, f/50 - j/100, 0.5 + j/1000) metres, in gSDF's cam_extr-rotated frame.
    private static double[][] Joints(int f) => Enumerable.Range(0, 21).Select(j => new[] { (f / 100.0) + (j / 100.0), (f / 50.0) - (j / 100.0), 0.5 + (j / 1000.0) }).ToArray();

    private static void WriteGsdf(string folder, string id, int f, double[]? shape, int joints = 21)
    {
        // cam_extr: a rotation by 90 degrees about z, so camera joints are (-y, x, z) of the written ones.
        string json = $$"""
            {"cam_extr": [[0, -1, 0], [1, 0, 0], [0, 0, 1]], "cam_intr": [[600, 0, 320], [0, 600, 240], [0, 0, 1]],
             "joints": {{Rows(Joints(f).Take(joints))}}, "verts": [[0, 0, 0]]{{(shape is null ? "" : $", \"shape\": [{string.Join(',', shape.Select(N))}]")}}}
            """;
        File.WriteAllText(Path.Combine(folder, id + ".json"), json);
    }

    [Fact]
    public void Gsdf_hand_pose_files_become_one_sparse_sequence_per_video_in_the_camera_frame()
    {
        using var dir = new TempDir();
        string hand = dir.File("out", "hand_pose", "x");
        string folder = Path.GetDirectoryName(hand)!;
        double[] shapeA = [1, 0, 0, 0, 0, 0, 0, 0, 0, 2], shapeB = [3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        WriteGsdf(folder, "3_20200903_101911_836212060125_10", 10, shapeA);
        WriteGsdf(folder, "3_20200903_101911_836212060125_0", 0, shapeB);
        WriteGsdf(folder, "3_20200903_101911_836212060125_5", 5, shapeA);
        WriteGsdf(folder, "10_20201022_110000_932122062010_0", 0, shapeA);

        Assert.True(GsdfPredictions.IsResultFolder(dir.File("out")));
        PredictionSet set = GsdfPredictions.Read(dir.File("out"));

        Assert.Equal("gSDF", set.Method);
        Assert.Equal(2, set.Sequences.Count);
        PredictedSequence s = set.Sequences[0];
        Assert.Equal("dexycb/20200820-subject-03/20200903_101911/836212060125", s.Name);
        Assert.Equal(new[] { 0, 5, 10 }, s.Frames);
        Assert.Equal("dexycb/20201022-subject-10/20201022_110000/932122062010", set.Sequences[1].Name);
        // cam_extr . joints: (x, y, z) -> (-y, x, z); frame 5, joint 7.
        double[] written = Joints(5)[7];
        Assert.Equal(-written[1], s.JointsM![1, 7, 0], 12);
        Assert.Equal(written[0], s.JointsM[1, 7, 1], 12);
        Assert.Equal(written[2], s.JointsM[1, 7, 2], 12);
        // beta: the mean of the video's per-frame shapes.
        Assert.Equal(new float[] { 5f / 3, 0, 0, 0, 0, 0, 0, 0, 0, 4f / 3 }, s.Betas!, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void A_bad_gSDF_file_is_one_line_naming_file_and_field()
    {
        using var dir = new TempDir();
        string folder = Path.GetDirectoryName(dir.File("out", "hand_pose", "x"))!;
        WriteGsdf(folder, "3_20200903_101911_836212060125_0", 0, null, joints: 20);
        DataFormatException e = Assert.Throws<DataFormatException>(() => GsdfPredictions.Read(dir.File("out")));
        Assert.Contains("3_20200903_101911_836212060125_0.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("joints", e.Message, StringComparison.Ordinal);
        Assert.Contains("20 joints", e.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, "3_20200903_101911_836212060125_0.json"));
        WriteGsdf(folder, "subject3_0", 0, null);
        Assert.Contains("is not a gSDF DexYCB id", Assert.Throws<DataFormatException>(() => GsdfPredictions.Read(dir.File("out"))).Message, StringComparison.Ordinal);
    }

    private const int Frames = 2;

    // s0 test: subjects 2-9, sequence index 4 of 5, 8 cameras, 2 frames; subject 5's camera 3 frame 1 has no MANO pose.
    private static List<DexYcbSample> BuildDexYcb(string root)
    {
        var tree = new SyntheticDexYcb(root);
        var posed = new List<DexYcbSample>();
        for (int subject = 2; subject < 10; subject++)
        {
            for (int seq = 0; seq < 5; seq++)
            {
                string name = tree.AddSequence(subject, seq, Frames, $"calib_{subject}");
                if (seq != 4)
                {
                    continue;
                }
                for (int c = 0; c < 8; c++)
                {
                    for (int f = 0; f < Frames; f++)
                    {
                        bool unposed = subject == 5 && c == 3 && f == 1;
                        float[] pose = Enumerable.Range(0, 51).Select(i => unposed && i < 48 ? 0f : 0.01f * (i + 1)).ToArray();
                        tree.AddLabel(subject, seq, c, f, pose, new float[63], compressed: false);
                        if (!unposed)
                        {
                            posed.Add(new DexYcbSample(0, subject, DexYcbLayout.Subjects[subject], 4, name, c, DexYcbLayout.Serials[c], f, "right"));
                        }
                    }
                }
            }
        }
        return posed;
    }

    // Row k: joint j = (k, j/100, 0.001) as Deformer writes it, y and z negated.
    private static void WriteDeformer(string path, int rows)
    {
        using var w = new StreamWriter(path);
        w.Write("[[");
        for (int k = 0; k < rows; k++)
        {
            w.Write(k == 0 ? "" : ",");
            w.Write(Rows(Enumerable.Range(0, 21).Select(j => new[] { (double)k, -(j / 100.0), -0.001 })));
        }
        w.Write("],[");
        string verts = "[" + string.Join(',', Enumerable.Repeat("[0,0,0]", DeformerPredictions.VertexCount)) + "]";
        for (int k = 0; k < rows; k++)
        {
            w.Write(k == 0 ? verts : "," + verts);
        }
        w.Write("]]");
    }

    [Fact]
    public void Deformer_rows_follow_the_posed_s0_test_samples_in_toolkit_order()
    {
        using var dir = new TempDir();
        string root = dir.File("dexycb", "x");
        root = Path.GetDirectoryName(root)!;
        List<DexYcbSample> posed = BuildDexYcb(root);
        string pred = dir.File("run", "pred_5.json");
        WriteDeformer(pred, posed.Count);
        // Shapes: row k has beta_0 = k.
        File.WriteAllText(dir.File("run", "pred_mano_5.json"),
            "[" + Rows(Enumerable.Range(0, posed.Count).Select(k => new double[] { k, 0, 0, 0, 0, 0, 0, 0, 0, 0 })) + "," + Rows(Enumerable.Range(0, posed.Count).Select(_ => new double[48])) + "]");

        Assert.True(DeformerPredictions.IsDump(pred));
        PredictionSet set = DeformerPredictions.ReadSet(pred, root, DexYcbSplitName.Test);

        Assert.Equal(64, set.Sequences.Count);
        string gap = $"dexycb/{DexYcbLayout.Subjects[5]}/20200101_000004/{DexYcbLayout.Serials[3]}";
        PredictedSequence short1 = set.Sequences.Single(s => s.Name == gap);
        Assert.Equal(new[] { 0 }, short1.Frames);
        int row = 0;
        foreach (PredictedSequence s in set.Sequences)
        {
            for (int f = 0; f < s.Frames.Length; f++, row++)
            {
                Assert.Equal(posed[row].Frame, s.Frames[f]);
                Assert.Equal($"dexycb/{posed[row].VideoKey}", s.Name);
                // Flip undone: y and z come back positive.
                Assert.Equal(row, s.JointsM![f, 4, 0], 12);
                Assert.Equal(0.04, s.JointsM[f, 4, 1], 12);
                Assert.Equal(0.001, s.JointsM[f, 4, 2], 12);
            }
            Assert.Equal((float)Enumerable.Range(row - s.Frames.Length, s.Frames.Length).Average(), s.Betas![0], 5);
        }
        Assert.Equal(posed.Count, row);

        WriteDeformer(pred, posed.Count - 1);
        DataFormatException e = Assert.Throws<DataFormatException>(() => DeformerPredictions.ReadSet(pred, root, DexYcbSplitName.Test));
        Assert.Contains($"has {posed.Count - 1} frames", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{posed.Count} samples with a MANO pose", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_reads_each_format_as_it_comes_and_keeps_the_videos_of_the_ground_truth()
    {
        using var dir = new TempDir();
        string folder = Path.GetDirectoryName(dir.File("gsdf", "hand_pose", "x"))!;
        WriteGsdf(folder, "3_20200903_101911_836212060125_0", 0, null);
        WriteGsdf(folder, "3_20200903_101911_839512060362_0", 0, null);
        string deformer = dir.File("pred_1.json");
        WriteDeformer(deformer, 1);

        PredictionSource gsdf = PredictionSources.Read(dir.File("gsdf"), "dexycb:/nowhere", test: true);
        Assert.True(gsdf.Native);
        PoseSequence[] pool = new[] { new PoseSequence("dexycb/20200820-subject-03/20200903_101911/836212060125@0", new float[48], 30) };
        (PredictionSet kept, int dropped) = PredictionSources.Restrict(gsdf, pool, "gsdf");
        Assert.Equal(new[] { "dexycb/20200820-subject-03/20200903_101911/836212060125" }, kept.Sequences.Select(s => s.Name));
        Assert.Equal(1, dropped);

        DataFormatException e = Assert.Throws<DataFormatException>(() => PredictionSources.Read(deformer, "synthetic", test: true));
        Assert.Contains("give --dataset dexycb:<root>", e.Message, StringComparison.Ordinal);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
