using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Benchmark.FilePredictions;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Reports;
using MsMano.Evaluation.Synthetic;
using MsMano.Evaluation.Tests.BioPr;
using MsMano.Evaluation.Tests.Datasets;
using MsMano.ModelFormats;
using MsMano.TestSupport;
using TorchSharp;

namespace MsMano.Evaluation.Tests.Benchmark;

/// <summary>
/// The benchmark on prediction files: ground truth written as our pose-sequence JSON (json:&lt;folder&gt;), a base
/// estimator's predictions in the msmano-predictions format, as poses or as joints only.
/// </summary>
[Collection("Torch")]
public sealed class FilePredictionBenchmarkTests
{
    private const int Frames = 15;
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly HandKinematics Kin = new(Model);

    [Fact]
    public void Pose_predictions_run_end_to_end_and_the_report_is_labelled_with_the_method()
    {
        torch.set_num_threads(2);
        using var dir = new TempDir();
        var fixture = Fixture.Create(dir);
        BenchmarkPredictionFiles files = fixture.WritePoses("gSDF");
        EvaluationJobOptions options = TinyBenchmark.Job(dir.File("report")) with { Dataset = "json:" + fixture.Folder, Predictions = files };
        EvaluationJobResult result = EvaluationJob.Run(options, TestPolicies.Random());

        EvaluationReport report = result.Benchmark.Report;
        Assert.False(report.Synthetic);
        Assert.Equal("json:" + fixture.Folder + " + gSDF predictions", report.Dataset);
        Assert.Contains("gSDF", report.Title);
        Assert.DoesNotContain("SYNTHETIC", report.Title);
        Assert.Contains(report.Notes!, n => n.Contains("base estimator 'gSDF'", StringComparison.Ordinal) && n.Contains(files.Test, StringComparison.Ordinal));
        Assert.Contains(report.Notes!, n => n.Contains("MANO poses, used directly", StringComparison.Ordinal));
        string markdown = File.ReadAllText(result.Files.Markdown);
        Assert.DoesNotContain(ReportWriter.SyntheticBanner, markdown);
        Assert.Contains("gSDF predictions", markdown);
        Assert.Equal(
            [BenchmarkMethods.Base, BenchmarkMethods.BioPr, BenchmarkMethods.BioPrFeedback, BenchmarkMethods.Smoothing(result.Benchmark.SmoothingWindow),
             BenchmarkMethods.Pca(6), BenchmarkMethods.ReferenceOnly, BenchmarkMethods.RefineWithoutSimulator, BenchmarkMethods.RefineInterpolatedWithoutSimulator],
            report.Methods.Select(m => m.Method));
        Assert.All(report.Methods, m =>
        {
            Assert.Equal(2 * Frames, m.Metrics.Frames);
            Assert.True(double.IsFinite(m.Metrics.MpjpeMm) && m.Metrics.MpjpeMm > 0, m.Method);
        });

        // The base row is exactly the file's predictions scored against the file's ground truth.
        Keypoints[] truth = fixture.Test.Select(s => PoseKeypoints.Millimetres(Kin, BenchmarkDatasets.GroundTruth(PoseFileMotionsOf(s), Kin))).ToArray();
        MetricSummary expected = HandPoseEvaluation.Evaluate(fixture.Test.Select((s, i) =>
            new EvaluationSequence(s.Name, truth[i], PoseKeypoints.Millimetres(Kin, fixture.Predicted[s.Name]))).ToArray());
        Assert.Equal(expected.MpjpeMm, result.Benchmark.Metrics(BenchmarkMethods.Base).MpjpeMm, 6);
    }

    [Fact]
    public void Joint_only_predictions_are_fitted_by_inverse_kinematics_with_their_quirks_undone()
    {
        torch.set_num_threads(2);
        using var dir = new TempDir();
        var fixture = Fixture.Create(dir);
        // Millimetres and Deformer's diag(1, -1, -1): both must be undone before fitting.
        BenchmarkPredictionFiles files = fixture.WriteJoints("Deformer", millimetres: true, flipYz: true);
        BenchmarkData data = BenchmarkDatasets.Load("json:" + fixture.Folder, Model, predictions: files);

        Assert.False(data.Synthetic);
        Assert.Equal(fixture.Train.Select(s => s.Name), data.Train.Select(s => s.Name));
        Assert.Equal(fixture.Test.Select(s => s.Name), data.Test.Select(s => s.Name));
        Assert.Contains(data.Notes, n => n.Contains("21 joints only, fitted by inverse kinematics", StringComparison.Ordinal));
        foreach (BenchmarkSequence s in data.Train.Concat(data.Test))
        {
            // The fit reproduces the predicted joints, in the camera frame (a wrong flip would turn the hand over).
            Keypoints fitted = PoseKeypoints.Millimetres(Kin, s.Predicted);
            Keypoints given = PoseKeypoints.Millimetres(Kin, fixture.Predicted[s.Name]);
            double error = Enumerable.Range(0, fitted.Values.Length / 3).Average(i =>
                Math.Sqrt(Enumerable.Range(0, 3).Sum(a => Math.Pow(fitted.Values[(i * 3) + a] - given.Values[(i * 3) + a], 2))));
            Assert.True(error < 3, $"{s.Name}: fitted joints are {error:F2} mm from the predicted ones");
        }

        BenchmarkResult result = BioPrBenchmark.Run(data, TestPolicies.Random(), TinyBenchmark.Options with { IncludeFeedback = false, IncludeAblations = false }, Model);
        Assert.False(result.Report.Synthetic);
        Assert.Equal("json:" + fixture.Folder + " + Deformer predictions", result.Report.Dataset);
        Assert.Equal(4, result.Report.Methods.Count);
        Assert.All(result.Report.Methods, m => Assert.Equal(2 * Frames, m.Metrics.Frames));
    }

    [Fact]
    public void Synthetic_ground_truth_or_predictions_keep_the_synthetic_label()
    {
        using var dir = new TempDir();
        var fixture = Fixture.Create(dir);
        BenchmarkPredictionFiles marked = fixture.WritePoses("sim", synthetic: true);
        Assert.True(BenchmarkDatasets.Load("json:" + fixture.Folder, Model, predictions: marked).Synthetic);

        // The synthetic benchmark's motions as ground truth, matched by their names synthetic-<split>-<index>.
        SyntheticBenchmarkOptions sizes = TinyBenchmark.Synthetic;
        BenchmarkData generated = SyntheticBenchmarkData.Create(Kin, sizes);
        string train = Write(dir.File("syn-train.json"), "real-method", generated.Train.Select(s => s.Predicted).ToArray(), joints: false);
        string test = Write(dir.File("syn-test.json"), "real-method", generated.Test.Select(s => s.Predicted).ToArray(), joints: false);
        BenchmarkData data = BenchmarkDatasets.Load("synthetic", Model, sizes, predictions: new BenchmarkPredictionFiles(train, test));
        Assert.True(data.Synthetic);
        Assert.Equal(generated.Test[1].Predicted.Poses, data.Test[1].Predicted.Poses);

        // A training prediction for a test sequence is pointed at the other flag.
        DataFormatException swapped = Assert.Throws<DataFormatException>(() => BenchmarkDatasets.Load("synthetic", Model, sizes, predictions: new BenchmarkPredictionFiles(test, test)));
        Assert.Contains("test-split sequence", swapped.Message);
        Assert.Contains("synthetic-test-0000", swapped.Message);
    }

    [Fact]
    public void A_video_key_covers_every_run_of_the_video_and_extra_frames_are_ignored()
    {
        using var dir = new TempDir();
        var fixture = Fixture.Create(dir);
        // Runs of one video split at unannotated frames, named as the dataset motions are: <key>@<first frame>.
        PoseSequence runA = SyntheticMotion.Generate("clip@4", 3, 30, 71) with { Synthetic = false };
        PoseSequence runB = SyntheticMotion.Generate("clip@10", 2, 30, 72) with { Synthetic = false };
        PoseSequenceJson.Write(Path.Combine(fixture.Folder, "clip-a.json"), runA);
        PoseSequenceJson.Write(Path.Combine(fixture.Folder, "clip-b.json"), runB);
        float[] video = new float[13 * 48];
        runA.Poses.CopyTo(video, 4 * 48);
        runB.Poses.CopyTo(video, 10 * 48);
        string train = dir.File("train.json");
        string test = dir.File("test.json");
        PredictionFile.Write(train, Set("m", fixture.Train.Select(s => Sequence(fixture.Predicted[s.Name], joints: false))));
        PredictionFile.Write(test, Set("m", [.. fixture.Test.Select(s => Sequence(fixture.Predicted[s.Name], joints: false)),
            new PredictedSequence("clip", Enumerable.Range(0, 13).ToArray(), video, null, null)]));

        BenchmarkData data = BenchmarkDatasets.Load("json:" + fixture.Folder, Model, predictions: new BenchmarkPredictionFiles(train, test));
        BenchmarkSequence a = Assert.Single(data.Test, s => s.Name == "clip@4");
        Assert.Equal(runA.Poses, a.Predicted.Poses);
        Assert.Equal(runB.Poses, Assert.Single(data.Test, s => s.Name == "clip@10").Predicted.Poses);
        Assert.Contains(data.Notes, n => n.Contains("8 predicted frame(s) without ground truth", StringComparison.Ordinal));

        // A run with no predicted frame at all is an error naming the frame.
        PredictionFile.Write(test, Set("m", [.. fixture.Test.Select(s => Sequence(fixture.Predicted[s.Name], joints: false)),
            new PredictedSequence("clip", [4, 5, 6], video.AsSpan(4 * 48, 3 * 48).ToArray(), null, null)]));
        DataFormatException e = Assert.Throws<DataFormatException>(() => BenchmarkDatasets.Load("json:" + fixture.Folder, Model, predictions: new BenchmarkPredictionFiles(train, test)));
        Assert.Contains("frame 10 is missing", e.Message);
        Assert.Contains("clip@10", e.Message);
    }

    [Fact]
    public void Predictions_on_every_other_frame_are_interpolated_for_BioPr_and_only_predicted_frames_are_scored()
    {
        using var dir = new TempDir();
        var fixture = Fixture.Create(dir);
        PoseSequence run = SyntheticMotion.Generate("clip@4", 9, 30, 71) with { Synthetic = false };
        PoseSequenceJson.Write(Path.Combine(fixture.Folder, "clip.json"), run);
        int frames = run.Frames;
        // gSDF-style: frames 4, 6, 8, ... only (here every 2nd), the run's last frame not among them.
        int[] predictedFrames = Enumerable.Range(0, frames).Where(f => f % 2 == 0 && f < frames - 1).Select(f => f + 4).ToArray();
        float[] poses = predictedFrames.SelectMany(f => run.Frame(f - 4).ToArray()).ToArray();
        string train = dir.File("train.json");
        string test = dir.File("test.json");
        PredictionFile.Write(train, Set("m", fixture.Train.Select(s => Sequence(fixture.Predicted[s.Name], joints: false))));
        PredictionFile.Write(test, Set("m", [.. fixture.Test.Select(s => Sequence(fixture.Predicted[s.Name], joints: false)),
            new PredictedSequence("clip", predictedFrames, poses, null, null)]));

        BenchmarkData data = BenchmarkDatasets.Load("json:" + fixture.Folder, Model, predictions: new BenchmarkPredictionFiles(train, test));
        BenchmarkSequence clip = Assert.Single(data.Test, s => s.Name == "clip@4");
        Assert.Equal(frames, clip.Predicted.Frames);
        Assert.Equal(Enumerable.Range(0, frames).Select(f => f % 2 == 0 && f < frames - 1), clip.Scored!);
        // Predicted frames are used as given; a frame between two is the rotation halfway (slerp); the last holds.
        Assert.Equal(run.Frame(2).ToArray(), clip.Predicted.Frame(2).ToArray());
        var a = Mat3.Exp(Joint(run.Frame(0), 5));
        var b = Mat3.Exp(Joint(run.Frame(2), 5));
        var half = Mat3.Exp(Joint(clip.Predicted.Frame(1), 5));
        Assert.True(((a.Transpose() * half).Log() - (half.Transpose() * b).Log()).Norm() < 1e-5, "frame 1 is the slerp midpoint of frames 0 and 2");
        Assert.Equal(clip.Predicted.Frame(frames - 2).ToArray(), clip.Predicted.Frame(frames - 1).ToArray());
        Assert.Contains(data.Notes, n => n.Contains("without a prediction: BioPR's input is interpolated", StringComparison.Ordinal));

        // Scores count only the predicted frames.
        BenchmarkResult result = BioPrBenchmark.Run(data, TestPolicies.Random(), TinyBenchmark.Options with { IncludeFeedback = false, IncludeAblations = false }, Model);
        int scored = data.Test.Sum(s => s.Scored?.Count(x => x) ?? s.Frames);
        Assert.Equal(scored, result.Metrics(BenchmarkMethods.Base).Frames);
        Assert.True(scored < data.Test.Sum(s => s.Frames));
    }

    private static Vec3 Joint(ReadOnlySpan<float> pose, int j) => new(pose[j * 3], pose[(j * 3) + 1], pose[(j * 3) + 2]);

    [Fact]
    public void Bad_prediction_files_name_the_file_the_field_and_the_value()
    {
        using var dir = new TempDir();
        var fixture = Fixture.Create(dir);
        BenchmarkPredictionFiles good = fixture.WritePoses("gSDF");
        string spec = "json:" + fixture.Folder;
        DataFormatException Fails(string testFile) =>
            Assert.Throws<DataFormatException>(() => BenchmarkDatasets.Load(spec, Model, predictions: new BenchmarkPredictionFiles(good.Train, testFile)));

        // A sequence name with no ground truth.
        string unknown = dir.File("unknown.json");
        PredictionFile.Write(unknown, Set("gSDF", [Sequence(fixture.Predicted[fixture.Test[0].Name], joints: false) with { Name = "no-such-sequence" }]));
        DataFormatException e = Fails(unknown);
        Assert.Equal(unknown, e.SourceName);
        Assert.Equal("sequences[0].name", e.Field);
        Assert.Contains("'no-such-sequence' matches no test ground-truth sequence", e.Message);

        // No frame of the ground truth predicted (all frame numbers past its end).
        string shortFile = dir.File("short.json");
        PredictedSequence full = Sequence(fixture.Predicted[fixture.Test[0].Name], joints: false);
        PredictionFile.Write(shortFile, Set("gSDF", [full with { Frames = full.Frames.Select(f => f + Frames).ToArray() }]));
        e = Fails(shortFile);
        Assert.Equal(shortFile, e.SourceName);
        Assert.Equal("sequences[0].frames", e.Field);
        Assert.Contains($"sequence '{fixture.Test[0].Name}': frame 0 is missing", e.Message);
        Assert.Contains($"frames 0-{Frames - 1}", e.Message);

        // A row count that disagrees with the frame list.
        PredictionFile.Write(shortFile, Set("gSDF", [full with { Poses = full.Poses![..^48] }]));
        e = Fails(shortFile);
        Assert.Equal("sequences[0].poses", e.Field);
        Assert.Contains($"has {Frames - 1} rows but 'frames' lists {Frames}", e.Message);

        // A non-finite value: an overflowing number names its row and column, a Python NaN its line.
        string text = File.ReadAllText(good.Test);
        string bad = dir.File("nonfinite.json");
        (int Start, int Length) first = FirstPoseValue(text);
        File.WriteAllText(bad, text[..first.Start] + "1e999" + text[(first.Start + first.Length)..]);
        e = Fails(bad);
        Assert.Equal(bad, e.SourceName);
        Assert.Equal("sequences[0].poses[0][0]", e.Field);
        Assert.Contains("1e999 is not a finite number", e.Message);
        File.WriteAllText(bad, text[..first.Start] + "NaN" + text[(first.Start + first.Length)..]);
        e = Fails(bad);
        Assert.Equal(bad, e.SourceName);
        Assert.StartsWith("line ", e.Field);
        Assert.Contains("NaN is not a finite number", e.Message);

        // A sequence in both files would be trained on and scored.
        e = Assert.Throws<DataFormatException>(() => BenchmarkDatasets.Load(spec, Model, predictions: new BenchmarkPredictionFiles(good.Train, good.Train)));
        Assert.Contains("already covers", e.Message);

        // Different estimators in the two files, and test predictions alone.
        BenchmarkPredictionFiles other = fixture.WritePoses("Deformer", prefix: "other");
        Assert.Contains("'gSDF'", Assert.Throws<ArgumentException>(() => BenchmarkDatasets.Load(spec, Model, predictions: new BenchmarkPredictionFiles(good.Train, other.Test))).Message);
        ArgumentException alone = Assert.Throws<ArgumentException>(() => BenchmarkPredictionFiles.From(null, good.Test));
        Assert.Contains("--train-predictions", alone.Message);
        Assert.Contains("cannot be trained", alone.Message);
        Assert.Null(BenchmarkPredictionFiles.From(null, " "));

        // Poses in the MANO model's frame need the user's MANO file.
        string mano = dir.File("mano.json");
        PredictionFile.Write(mano, Set("gSDF", fixture.Test.Select(s => Sequence(fixture.Predicted[s.Name], joints: false))) with { PoseFrame = PredictedPoseFrame.Mano });
        e = Fails(mano);
        Assert.Equal("pose_frame", e.Field);
        Assert.Contains("--mano", e.Message);
    }

    private static (int Start, int Length) FirstPoseValue(string json)
    {
        int start = json.IndexOf("\"poses\":[[", StringComparison.Ordinal) + "\"poses\":[[".Length;
        int end = json.IndexOfAny([',', ']'], start);
        return (start, end - start);
    }

    private static Environments.Motion.ReferenceMotion PoseFileMotionsOf(PoseSequence s) =>
        Environments.Motion.ReferenceMotion.FromManoPoses(Kin, s.Name, s.Poses, s.Fps, s.Synthetic);

    private static PredictionSet Set(string method, IEnumerable<PredictedSequence> sequences, bool synthetic = false) =>
        new(method, "test-fixture", synthetic, sequences.ToArray());

    private static PredictedSequence Sequence(PoseSequence predicted, bool joints, double scale = 1, bool flipYz = false)
    {
        int[] frames = Enumerable.Range(0, predicted.Frames).ToArray();
        if (!joints)
        {
            return new PredictedSequence(predicted.Name, frames, predicted.Poses, null, null);
        }

        Keypoints metres = PoseKeypoints.Millimetres(Kin, predicted).Scaled(0.001);
        double[] values = metres.Values.Select((v, i) => (flipYz && i % 3 != 0 ? -v : v) * scale).ToArray();
        return new PredictedSequence(predicted.Name, frames, null, new Keypoints(values, metres.Frames, metres.Joints), null);
    }

    private static string Write(string path, string method, IReadOnlyList<PoseSequence> predicted, bool joints)
    {
        PredictionFile.Write(path, Set(method, predicted.Select(p => Sequence(p, joints))));
        return path;
    }

    /// <summary>Four training and two test sequences of generator motion as pose files, with error-model predictions.</summary>
    private sealed record Fixture(string Folder, string Root, IReadOnlyList<PoseSequence> Train, IReadOnlyList<PoseSequence> Test, Dictionary<string, PoseSequence> Predicted)
    {
        public static Fixture Create(TempDir dir)
        {
            string folder = Path.Combine(dir.Path, "truth");
            Directory.CreateDirectory(folder);
            var errors = new SyntheticErrorOptions { BoneAxes = SyntheticBenchmarkData.RestBoneAxes(Kin) };
            // Real-looking ground truth for the test: the generator's motion, marked not synthetic.
            PoseSequence Make(string name, int seed) => SyntheticMotion.Generate(name, Frames, 30, seed) with { Synthetic = false };
            PoseSequence[] train = Enumerable.Range(0, 4).Select(i => Make(string.Create(CultureInfo.InvariantCulture, $"train-{i}"), 100 + i)).ToArray();
            PoseSequence[] test = Enumerable.Range(0, 2).Select(i => Make(string.Create(CultureInfo.InvariantCulture, $"test-{i}"), 200 + i)).ToArray();
            var predicted = new Dictionary<string, PoseSequence>();
            foreach ((PoseSequence s, int i) in train.Concat(test).Select((s, i) => (s, i)))
            {
                PoseSequenceJson.Write(Path.Combine(folder, s.Name + ".json"), s);
                predicted[s.Name] = new BaseEstimatorErrorModel(errors with { Seed = 7 + i }).Apply(s) with { Name = s.Name, Synthetic = false };
            }

            return new Fixture(folder, dir.Path, train, test, predicted);
        }

        public BenchmarkPredictionFiles WritePoses(string method, bool synthetic = false, string prefix = "pred") =>
            WriteBoth(method, prefix, s => Sequence(Predicted[s.Name], joints: false), synthetic);

        public BenchmarkPredictionFiles WriteJoints(string method, bool millimetres, bool flipYz)
        {
            BenchmarkPredictionFiles files = WriteBoth(method, "joints", s => Sequence(Predicted[s.Name], joints: true, millimetres ? 1000 : 1, flipYz), synthetic: false);
            foreach (string path in new[] { files.Train, files.Test })
            {
                // The writer always writes metres in the camera frame; say what these values are instead.
                string text = File.ReadAllText(path).Replace("\"unit\":\"m\"", $"\"unit\":\"{(millimetres ? "mm" : "m")}\",\"flip_yz\":{(flipYz ? "true" : "false")}", StringComparison.Ordinal);
                File.WriteAllText(path, text);
            }

            return files;
        }

        private BenchmarkPredictionFiles WriteBoth(string method, string prefix, Func<PoseSequence, PredictedSequence> sequence, bool synthetic)
        {
            string train = Path.Combine(Root, $"{prefix}-train.json");
            string test = Path.Combine(Root, $"{prefix}-test.json");
            PredictionFile.Write(train, Set(method, Train.Select(sequence), synthetic));
            PredictionFile.Write(test, Set(method, Test.Select(sequence), synthetic));
            return new BenchmarkPredictionFiles(train, test);
        }
    }
}
