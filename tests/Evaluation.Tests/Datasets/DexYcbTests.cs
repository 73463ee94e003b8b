using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Evaluation.Tests.Datasets;

public sealed class DexYcbTests
{
    private const int Frames = 2;

    [Fact]
    public void Meta_tolerates_python_tuple_tags_and_betas_are_read()
    {
        using var dir = new TempDir();
        string meta = dir.File("meta.yml");
        File.WriteAllText(meta, """
            serials: ['836212060125', '839512060362']
            num_frames: 72
            ycb_ids: [6, 2, 11, 14]
            ycb_grasp_ind: 2
            mano_sides: [right]
            mano_calib: ['20200709_140042_subject-01_right']
            extrinsics: '20200702_151821'
            pose_hint: !!python/tuple [1, 2, 3]
            """);
        var parsed = DexYcbMeta.Read(meta);
        Assert.Equal(72, parsed.NumFrames);
        Assert.Equal([6, 2, 11, 14], parsed.YcbIds);
        Assert.Equal("right", parsed.ManoSide);
        Assert.Equal("20200709_140042_subject-01_right", parsed.ManoCalib[0]);

        string mano = dir.File("calibration", "mano_x", "mano.yml");
        File.WriteAllText(mano, "betas: [0.1, -0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]\n");
        Assert.Equal(-0.2f, DexYcbMeta.ReadBetas(mano)[1]);

        File.WriteAllText(mano, "betas: [0.1, 0.2]\n");
        DataFormatException shortBetas = Assert.Throws<DataFormatException>(() => DexYcbMeta.ReadBetas(mano));
        Assert.Contains("betas", shortBetas.Message);
        Assert.Contains("2 values", shortBetas.Message);

        File.WriteAllText(meta, "serials: []\nnum_frames: abc\n");
        DataFormatException bad = Assert.Throws<DataFormatException>(() => DexYcbMeta.Read(meta));
        Assert.Contains("num_frames", bad.Message);
        Assert.Contains("'abc'", bad.Message);
    }

    [Fact]
    public void S0_test_split_indexing_and_evaluation_round_trip()
    {
        using var dir = new TempDir();
        Dictionary<int, float[]?> truth = BuildDataset(dir.Path);
        IReadOnlyList<DexYcbSample> samples = DexYcbSplit.Enumerate(dir.Path, DexYcbSplitName.Test);
        Assert.Equal(8 * 8 * Frames, samples.Count);
        // Subject 3 starts after subject 2's single test sequence (8 cameras × 2 frames); camera 0 frame 1.
        DexYcbSample s = samples[17];
        Assert.Equal((3, 4, 0, 1), (s.SubjectIndex, s.SequenceIndex, s.CameraIndex, s.Frame));
        Assert.Equal("20200903-subject-04", s.Subject);
        Assert.Equal("20200101_000004", s.Sequence);
        Assert.Equal(Enumerable.Range(0, samples.Count), samples.Select(x => x.Index));

        Assert.Equal([0, 1, 2, 3, 5], Enumerable.Range(0, 6).Where(i => DexYcbSplit.IncludesSequence(DexYcbSplitName.Train, i)));
        Assert.Equal([4, 9], Enumerable.Range(0, 10).Where(i => DexYcbSplit.IncludesSequence(DexYcbSplitName.Test, i)));

        IReadOnlyList<DexYcbVideo> videos = DexYcbGroundTruth.LoadVideos(dir.Path, samples);
        Assert.Equal(64, videos.Count);
        Assert.Equal(samples.Count - 1, videos.Sum(v => v.Valid.Count(x => x)));

        // Predictions = ground truth (mm) + 2 mm on x of every joint except the wrist.
        var results = truth.Where(kv => kv.Value is not null).Select(kv =>
            (kv.Key, kv.Value!.Select((v, i) => ((double)v * 1000) + (i % 3 == 0 && i >= 3 ? 2 : 0)).ToArray())).ToList();
        string resultsPath = Path.Combine(dir.Path, "results.txt");
        DexYcbResultsFile.Write(resultsPath, results);
        IReadOnlyDictionary<int, double[]> read = DexYcbResultsFile.Read(resultsPath);
        Assert.Equal(results.Count, read.Count);
        MetricSummary summary = HandPoseEvaluation.Evaluate(DexYcbGroundTruth.Pair(videos, read, resultsPath));
        Assert.Equal(2.0 * 20 / 21, summary.MpjpeMm, 4);

        // A missing valid index is an error naming the results file and the index.
        var partial = read.Where(kv => kv.Key != 5).ToDictionary();
        DataFormatException missing = Assert.Throws<DataFormatException>(() => DexYcbGroundTruth.Pair(videos, partial, resultsPath));
        Assert.Contains("index 5", missing.Message);

        DataFormatException val = Assert.Throws<DataFormatException>(() => DexYcbSplit.Enumerate(dir.Path, DexYcbSplitName.Val));
        Assert.Contains("20200709-subject-01", val.Message);
    }

    [Fact]
    public void Results_file_rejects_malformed_lines()
    {
        using var dir = new TempDir();
        string path = dir.File("res.txt");
        File.WriteAllText(path, "0," + string.Join(',', Enumerable.Repeat("1.5", 63)) + "\n1,2,3\n");
        DataFormatException shortLine = Assert.Throws<DataFormatException>(() => DexYcbResultsFile.Read(path));
        Assert.Contains("line 2", shortLine.Message);
        Assert.Contains("3 values", shortLine.Message);

        File.WriteAllText(path, "0," + string.Join(',', Enumerable.Repeat("1.5", 62)) + ",nan\n");
        DataFormatException nan = Assert.Throws<DataFormatException>(() => DexYcbResultsFile.Read(path));
        Assert.Contains("joint 20 z", nan.Message);

        File.WriteAllText(path, string.Concat(Enumerable.Repeat("3," + string.Join(',', Enumerable.Repeat("1", 63)) + "\n", 2)));
        Assert.Contains("appears twice", Assert.Throws<DataFormatException>(() => DexYcbResultsFile.Read(path)).Message);
    }

    [Fact]
    public void Bad_label_files_name_file_and_field()
    {
        using var dir = new TempDir();
        string path = dir.File("labels_000000.npz");

        NpzWriter.Write(path, [new("pose_m", NdArray.FromFloats(new float[51], 1, 51))], compressed: true);
        DataFormatException missing = Assert.Throws<DataFormatException>(() => DexYcbLabels.Read(path));
        Assert.Contains(path, missing.Message);
        Assert.Contains("joint_3d", missing.Message);

        NpzWriter.Write(path, [new("pose_m", NdArray.FromFloats(new float[51], 1, 51)), new("joint_3d", NdArray.FromFloats(new float[60], 1, 20, 3))], compressed: false);
        DataFormatException shape = Assert.Throws<DataFormatException>(() => DexYcbLabels.Read(path));
        Assert.Contains("joint_3d", shape.Message);
        Assert.Contains("(1, 20, 3)", shape.Message);

        float[] joints = new float[63];
        joints[10] = float.NaN;
        NpzWriter.Write(path, [new("pose_m", NdArray.FromFloats(new float[51], 1, 51)), new("joint_3d", NdArray.FromFloats(joints, 1, 21, 3))], compressed: true);
        DataFormatException nan = Assert.Throws<DataFormatException>(() => DexYcbLabels.Read(path));
        Assert.Contains("joint_3d", nan.Message);
        Assert.Contains("element 10", nan.Message);

        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        DataFormatException truncated = Assert.Throws<DataFormatException>(() => DexYcbLabels.Read(path));
        Assert.Contains(path, truncated.Message);
    }

    // Subjects 2-9 with five sequences each (s0 test uses index 4), one frame of one video invalid.
    // Returns sample index → 63 joint values in metres (null for the invalid frame).
    private static Dictionary<int, float[]?> BuildDataset(string root)
    {
        var rng = new Random(21);
        var truth = new Dictionary<int, float[]?>();
        int index = 0;
        for (int subject = 2; subject < 10; subject++)
        {
            for (int seq = 0; seq < 5; seq++)
            {
                string name = $"20200101_00000{seq}";
                string seqDir = Path.Combine(root, DexYcbLayout.Subjects[subject], name);
                Directory.CreateDirectory(seqDir);
                File.WriteAllText(Path.Combine(seqDir, "meta.yml"), $"""
                    serials: ['{string.Join("', '", DexYcbLayout.Serials.Reverse())}']
                    num_frames: {Frames}
                    ycb_ids: [1, 2]
                    ycb_grasp_ind: 0
                    mano_sides: [{(subject % 2 == 0 ? "right" : "left")}]
                    mano_calib: [calib_{subject}]
                    extrinsics: '20200702_151821'
                    """);
                if (seq != 4)
                {
                    continue;
                }

                foreach (string serial in DexYcbLayout.Serials)
                {
                    Directory.CreateDirectory(Path.Combine(seqDir, serial));
                    for (int f = 0; f < Frames; f++)
                    {
                        bool invalid = subject == 5 && serial == DexYcbLayout.Serials[3] && f == 1;
                        float[] joints = invalid
                            ? Enumerable.Repeat(-1f, 63).ToArray()
                            : Enumerable.Range(0, 63).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.2)).ToArray();
                        float[] pose = Enumerable.Range(0, 51).Select(i => invalid ? 0f : (float)(rng.NextDouble() * 0.1)).ToArray();
                        NpzWriter.Write(DexYcbLayout.LabelPath(root, DexYcbLayout.Subjects[subject], name, serial, f),
                        [
                            new("pose_m", NdArray.FromFloats(pose, 1, 51)),
                            new("joint_3d", NdArray.FromFloats(joints, 1, 21, 3)),
                            new("joint_2d", NdArray.FromFloats(new float[42], 1, 21, 2)),
                        ], compressed: index % 2 == 0);
                        truth[index++] = invalid ? null : joints;
                    }
                }
            }
        }

        return truth;
    }
}
