using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Benchmark.FilePredictions;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.Evaluation.Mano;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Official;
using MsMano.Evaluation.Refine;
using MsMano.Evaluation.Synthetic;
using MsMano.ModelFormats.Mano;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Evaluation.Tests.Mano;

/// <summary>
/// A tiny DexYCB-shaped tree (made-up values, MANO-shaped synthetic model, never real data): two test subjects with
/// different β, labels whose joint_3d is what MANO gives for pose_m, scored end to end with the official protocol.
/// </summary>
public sealed class OfficialProtocolTests
{
    private const int Frames = 8;
    private static readonly HandKinematics Kinematics = new(HandModelFile.LoadDefault());

    private static (string Root, string ManoPath) BuildFixture(TempDir dir)
    {
        // Shape dirs: beta_0 scales the hand along x (10 % per unit), so subjects' joints differ visibly.
        ManoModel plain = SyntheticManoModel.Create();
        double[] shapeDirs = new double[ManoModel.VertexCount * 3 * 10];
        for (int k = 0; k < ManoModel.VertexCount; k++)
        {
            shapeDirs[k * 3 * 10] = 0.1 * plain.VTemplate[k * 3];
        }
        ManoModel mano = SyntheticManoModel.Create(shapeDirs: shapeDirs);
        string manoPath = dir.File("MANO_RIGHT.npz");
        SyntheticManoNpz.Write(manoPath, mano);
        var layer = new ManoLayer(mano);

        var tree = new SyntheticDexYcb(Path.Combine(dir.Path, "dexycb"));
        var rng = new Random(4);
        for (int subject = 0; subject < 10; subject++)
        {
            string calib = $"calib-{subject}";
            float beta0 = subject % 2 == 0 ? 1.5f : -1.0f;
            tree.AddCalibration(calib, beta0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            for (int seq = 0; seq < 5; seq++)
            {
                // s0 test: sequence 4 of subjects 2-9; train: sequences 0-3 of every subject. Labels on camera 0 only.
                tree.AddSequence(subject, seq, Frames, calib);
                ShapedMano hand = layer.Shape([beta0]);
                var global = new Vec3(0.3 * rng.NextDouble(), -0.2, 0.4);
                var translation = new Vec3(0.05, -0.03, 0.6 + (0.01 * subject));
                for (int f = 0; f < Frames; f++)
                {
                    float[] poseM = new float[51];
                    (poseM[0], poseM[1], poseM[2]) = ((float)global.X, (float)global.Y, (float)(global.Z + (0.02 * f)));
                    // Small flexions, well inside the hand's limits (the hand-frame pose round-trips exactly).
                    for (int c = 0; c < 45; c++)
                    {
                        poseM[3 + c] = (float)(0.05 * Math.Sin((0.3 * f) + c));
                    }
                    (poseM[48], poseM[49], poseM[50]) = ((float)translation.X, (float)translation.Y, (float)translation.Z);
                    double[] full = new double[48];
                    (full[0], full[1], full[2]) = (poseM[0], poseM[1], poseM[2]);
                    layer.FullPoseFromPca(poseM.AsSpan(3, 45).ToArray().Select(x => (double)x).ToArray()).CopyTo(full, 3);
                    double[] joints = new double[63];
                    layer.Joints21(hand, full, translation, joints);
                    tree.AddLabel(subject, seq, 0, f, poseM, joints.Select(x => (float)x).ToArray(), compressed: true);
                }
            }
        }
        return (tree.Root, manoPath);
    }

    [Fact]
    public void Ground_truth_poses_through_the_MANO_layer_with_each_subject_s_beta_reproduce_joint_3d()
    {
        using var dir = new TempDir();
        (string root, string manoPath) = BuildFixture(dir);
        (BenchmarkData data, OfficialScorer scorer) = DexYcbOfficialData.Load(root, manoPath, Kinematics, new SyntheticErrorOptions(), camera: 0);
        Assert.Equal(8, data.Test.Count);
        Assert.Equal(2, data.Test.Select(s => s.GroundTruth.Betas![0]).Distinct().Count());
        for (int i = 0; i < data.Test.Count; i++)
        {
            Keypoints truth = scorer.Truth(i);
            Keypoints back = scorer.Joints(i, data.Test[i].GroundTruth);
            double worst = truth.Values.Zip(back.Values, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 0.05, $"test run {i}: MANO joints of the ground-truth poses are {worst:F4} mm off joint_3d");
        }

        // The subject's beta matters: the same poses on the mean shape miss joint_3d by millimetres.
        var meanShape = new OfficialScorer(new ManoLayer(ManoModelFile.Load(manoPath)), new MsMano.Evaluation.Datasets.MotionSources.ManoPoseConverter(ManoModelFile.Load(manoPath), Kinematics),
            scorer.Test.Select(c => c with { Betas = new float[10] }).ToArray());
        MetricSummary wrong = HandPoseEvaluation.Evaluate(Enumerable.Range(0, data.Test.Count)
            .Select(i => new EvaluationSequence("x", scorer.Truth(i), meanShape.Joints(i, data.Test[i].GroundTruth), scorer.Valid(i))).ToArray());
        Assert.True(wrong.MpjpeMm > 2, $"mean-shape MPJPE {wrong.MpjpeMm:F2} mm");
    }

    [Fact]
    public void Evaluate_with_the_official_protocol_scores_the_fixture_end_to_end_on_the_shipped_IDNet()
    {
        using var dir = new TempDir();
        (string root, string manoPath) = BuildFixture(dir);
        var options = new EvaluationJobOptions
        {
            Dataset = $"dexycb:{root}?camera=0",
            ManoModelPath = manoPath,
            OutputDirectory = dir.File("report"),
            Benchmark = new BenchmarkOptions
            {
                Refine = new RefineNetOptions { Iterations = 5, BatchSize = 64, Device = "cpu", LogEvery = 5 },
                SmoothingWindows = [2, 4],
                PcaComponents = 6,
                IncludeFeedback = false,
                IncludeAblations = false,
            },
        };
        Assert.Equal(ScoringProtocol.Official, ScoringProtocols.Resolve(options));
        EvaluationJobResult result = EvaluationJob.Run(options, policy: null);

        var rows = result.Benchmark.Report.Methods.ToDictionary(m => m.Method, m => m.Metrics);
        MetricSummary baseRow = rows[BenchmarkMethods.Base];
        Assert.Equal(8 * Frames, baseRow.Frames);
        Assert.InRange(baseRow.MpjpeMm, 0.5, 200);
        Assert.True(baseRow.PaMpjpeMm <= baseRow.MpjpeMm + 1e-9);
        Assert.InRange(baseRow.Auc, 0, 1);
        Assert.True(double.IsFinite(rows[BenchmarkMethods.BioPr].MpjpeMm));
        string text = File.ReadAllText(result.Files.Markdown);
        Assert.Contains("official DexYCB", text);
        Assert.Contains(DexYcbLayout.Subjects[2], text);
    }

    [Fact]
    public void Estimator_files_predicting_every_other_frame_are_scored_officially_on_the_predicted_frames_only()
    {
        using var dir = new TempDir();
        (string root, string manoPath) = BuildFixture(dir);
        (BenchmarkData truth, _) = DexYcbOfficialData.Load(root, manoPath, Kinematics, new SyntheticErrorOptions(), camera: 0);
        var rng = new Random(9);
        PredictedSequence Predict(BenchmarkSequence s, int step)
        {
            int[] frames = Enumerable.Range(0, s.Frames).Where(f => f % step == 0).ToArray();
            float[] poses = frames.SelectMany(f => s.GroundTruth.Frame(f).ToArray().Select(v => v + (float)(0.02 * (rng.NextDouble() - 0.5)))).ToArray();
            return new PredictedSequence(s.Name, frames, poses, null, null);
        }
        string train = dir.File("train.json"), test = dir.File("test.json");
        PredictionFile.Write(train, new PredictionSet("gSDF", "dexycb-s0-train", false, truth.Train.Select(s => Predict(s, 1)).ToArray()));
        PredictionFile.Write(test, new PredictionSet("gSDF", "dexycb-s0-test", false, truth.Test.Select(s => Predict(s, 2)).ToArray()));
        var options = new EvaluationJobOptions
        {
            Dataset = $"dexycb:{root}",
            ManoModelPath = manoPath,
            Predictions = new BenchmarkPredictionFiles(train, test),
            OutputDirectory = dir.File("report"),
            Benchmark = new BenchmarkOptions
            {
                Refine = new RefineNetOptions { Iterations = 5, BatchSize = 64, Device = "cpu", LogEvery = 5 },
                SmoothingWindows = [2, 4],
                PcaComponents = 6,
                IncludeFeedback = false,
                IncludeAblations = false,
            },
        };
        EvaluationJobResult result = EvaluationJob.Run(options, TestPolicies.Random());
        MetricSummary baseRow = result.Benchmark.Metrics(BenchmarkMethods.Base);
        Assert.Equal(8 * Frames / 2, baseRow.Frames);
        Assert.InRange(baseRow.MpjpeMm, 0.01, 50);
        Assert.Contains(result.Benchmark.Report.Notes!, n => n.StartsWith("Protocol: official DexYCB", StringComparison.Ordinal));
        Assert.Contains(result.Benchmark.Report.Notes!, n => n.StartsWith("Subject shapes", StringComparison.Ordinal) && n.Contains(DexYcbLayout.Subjects[3], StringComparison.Ordinal));
    }

    [Fact]
    public void The_official_protocol_needs_DexYCB_and_a_MANO_file()
    {
        Assert.Equal(ScoringProtocol.Model, ScoringProtocols.Resolve(new EvaluationJobOptions()));
        Assert.Equal(ScoringProtocol.Official, ScoringProtocols.Resolve(new EvaluationJobOptions { Dataset = "dexycb:/data", ManoModelPath = "MANO_RIGHT.pkl" }));
        Assert.Equal(ScoringProtocol.Model, ScoringProtocols.Resolve(new EvaluationJobOptions { Dataset = "dexycb:/data", ManoModelPath = "MANO_RIGHT.pkl", Protocol = ScoringProtocol.Model }));
        Assert.Contains("dexycb", Assert.Throws<ArgumentException>(() => ScoringProtocols.Resolve(new EvaluationJobOptions { Protocol = ScoringProtocol.Official })).Message);
        Assert.Contains("--mano", Assert.Throws<ArgumentException>(() => ScoringProtocols.Resolve(new EvaluationJobOptions { Dataset = "dexycb:/nowhere", Protocol = ScoringProtocol.Official })).Message);
    }
}
