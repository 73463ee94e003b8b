using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Mano;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Mano;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Synthetic;
using MsMano.ModelFormats.Mano;
using Serilog;

namespace MsMano.Evaluation.Official;

/// <summary>
/// DexYCB under the official protocol (<c>evaluate --protocol official</c>): s0 train (one camera) trains RefineNet;
/// s0 test, every camera unless <c>camera=</c> names one, is scored against joint_3d through the MANO layer
/// (<see cref="OfficialScorer"/>). Each run of annotated frames of a (sequence, camera) video is one sequence, with the
/// subject's β from calibration/mano_&lt;mano_calib&gt;/mano.yml on its poses. Right hands only (the simulated hand is a
/// right hand). Predictions come from the SYNTHETIC error model, as for the non-official DexYCB benchmark.
/// </summary>
public static class DexYcbOfficialData
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(DexYcbOfficialData));

    public static (BenchmarkData Data, OfficialScorer Scorer) Load(
        string root, string manoPath, HandKinematics kinematics, SyntheticErrorOptions errors, int? camera = null, double fps = 30)
    {
        ManoModel mano = ManoModelFile.Load(manoPath);
        var converter = new ManoPoseConverter(mano, kinematics);
        var layer = new ManoLayer(mano);
        (List<OfficialClip> trainClips, List<ReferenceMotion> trainMotions) = Read(root, DexYcbSplitName.Train, converter, kinematics, camera ?? 0, fps);
        (List<OfficialClip> testClips, List<ReferenceMotion> testMotions) = Read(root, DexYcbSplitName.Test, converter, kinematics, camera, fps);
        if (trainMotions.Count == 0 || testMotions.Count == 0)
        {
            throw new ArgumentException($"DexYCB at '{root}': the official protocol needs annotated right-hand runs in s0 train and test; found {trainMotions.Count} and {testMotions.Count}.");
        }
        errors = errors with { BoneAxes = errors.BoneAxes ?? SyntheticBenchmarkData.RestBoneAxes(kinematics) };
        BenchmarkSequence[] train = WithBetas(BenchmarkDatasets.Pair(trainMotions, kinematics, errors, seedOffset: 0), trainClips);
        BenchmarkSequence[] test = WithBetas(BenchmarkDatasets.Pair(testMotions, kinematics, errors, seedOffset: 1_000_000), testClips);
        int labelled = testClips.Sum(c => c.Valid.Count(v => v));
        string[] notes = new[]
        {
            string.Create(CultureInfo.InvariantCulture,
                $"Protocol: official DexYCB s0 ({(camera is null ? "all 8 cameras" : $"camera {DexYcbLayout.Serials[camera.Value]}")}): refined poses go through the full MANO layer of '{manoPath}' (shape and pose blend shapes, LBS, 16 joints + 5 fingertip vertices) with each subject's β and pose_m's translation, and are scored against joint_3d on {labelled:N0} labelled frames of {testClips.Count} test runs; MPJPE and AUC (0-50 mm, 100 thresholds) root-relative, PA-MPJPE with scale and reflection as the toolkit's align_w_scale, AE on the same joints."),
            string.Create(CultureInfo.InvariantCulture, $"Subjects (MANO β, first three shown): {string.Join("; ", testClips.GroupBy(c => c.Subject).Select(g => $"{g.Key} [{string.Join(", ", g.First().Betas.Take(3).Select(b => b.ToString("F2", CultureInfo.InvariantCulture)))}, ...]"))}."),
            "Predictions: SYNTHETIC base estimator (BaseEstimatorErrorModel) on the real ground truth; numbers are not comparable with published results.",
        };
        BenchmarkData data = new BenchmarkData("DexYCB s0 (official protocol) + synthetic predictions", Synthetic: true, train, test, notes) { ShapeModel = mano }.Validate();
        return (data, new OfficialScorer(layer, converter, testClips));
    }

    /// <summary>
    /// A benchmark on prediction files (<c>--train-predictions/--test-predictions</c>) under the official protocol:
    /// every sequence (named as <see cref="DexYcbMotions"/> names runs) gets its subject's β, and each test sequence is
    /// scored against its labels.
    /// </summary>
    public static BenchmarkData Officially(BenchmarkData data, string root, string manoPath, HandKinematics kinematics, int camera)
    {
        ManoModel mano = ManoModelFile.Load(manoPath);
        var converter = new ManoPoseConverter(mano, kinematics);
        Dictionary<string, OfficialClip> Clips(DexYcbSplitName split)
        {
            (List<OfficialClip> clips, List<ReferenceMotion> motions) = Read(root, split, converter, kinematics, camera, 30);
            return motions.Select((m, i) => (m.Name, Clip: clips[i])).ToDictionary(x => x.Name, x => x.Clip, StringComparer.Ordinal);
        }

        Dictionary<string, OfficialClip> train = Clips(DexYcbSplitName.Train);
        Dictionary<string, OfficialClip> test = Clips(DexYcbSplitName.Test);
        OfficialClip Find(Dictionary<string, OfficialClip> pool, BenchmarkSequence s, string split) => pool.TryGetValue(s.Name, out OfficialClip? clip)
            ? clip
            : throw new ArgumentException($"Sequence '{s.Name}' is not an annotated DexYCB s0 {split} run of camera {DexYcbLayout.Serials[camera]} under '{root}'.");
        OfficialClip[] trainClips = data.Train.Select(s => Find(train, s, "train")).ToArray();
        OfficialClip[] testClips = data.Test.Select(s => Find(test, s, "test")).ToArray();
        return data with
        {
            Train = WithBetas(data.Train.ToArray(), trainClips),
            Test = WithBetas(data.Test.ToArray(), testClips),
            ShapeModel = mano,
            Official = new OfficialScorer(new ManoLayer(mano), converter, testClips),
        };
    }

    private static BenchmarkSequence[] WithBetas(IReadOnlyList<BenchmarkSequence> sequences, IReadOnlyList<OfficialClip> clips) =>
        sequences.Select((s, i) => s with
        {
            GroundTruth = s.GroundTruth with { Betas = clips[i].Betas },
            Predicted = s.Predicted with { Betas = clips[i].Betas },
        }).ToArray();

    private static (List<OfficialClip> Clips, List<ReferenceMotion> Motions) Read(
        string root, DexYcbSplitName split, ManoPoseConverter converter, HandKinematics kinematics, int? camera, double fps)
    {
        var clips = new List<OfficialClip>();
        var motions = new List<ReferenceMotion>();
        var betasByCalibration = new Dictionary<string, float[]>(StringComparer.Ordinal);
        IEnumerable<IGrouping<string, DexYcbSample>> videos = DexYcbSplit.Enumerate(root, split)
            .Where(s => camera is null || s.CameraIndex == camera)
            .GroupBy(s => s.VideoKey);
        foreach (IGrouping<string, DexYcbSample> video in videos)
        {
            DexYcbSample[] frames = video.OrderBy(s => s.Frame).ToArray();
            if (frames[0].ManoSide != "right")
            {
                continue;
            }
            var meta = DexYcbMeta.Read(DexYcbLayout.MetaPath(root, frames[0].Subject, frames[0].Sequence));
            string calibration = meta.ManoCalib[0];
            if (!betasByCalibration.TryGetValue(calibration, out float[]? betas))
            {
                betas = DexYcbMeta.ReadBetas(DexYcbLayout.ManoCalibrationPath(root, calibration));
                betasByCalibration[calibration] = betas;
            }
            int n = frames.Length;
            float[] poses = new float[n * 48];
            double[] joints = new double[n * HandJoints.Count * 3];
            double[] translations = new double[n * 3];
            bool[] posed = new bool[n];
            bool[] labelled = new bool[n];
            for (int i = 0; i < n; i++)
            {
                string path = frames[i].LabelPath(root);
                var labels = DexYcbLabels.Read(path);
                posed[i] = labels.HasPose;
                labelled[i] = labels.HasJoints;
                if (posed[i])
                {
                    converter.FromDexYcbPoseM(labels.PoseM.AsSpan(0, 51), poses.AsSpan(i * 48, 48), path);
                    for (int a = 0; a < 3; a++)
                    {
                        translations[(i * 3) + a] = labels.PoseM[48 + a];
                    }
                }
                if (labelled[i])
                {
                    for (int k = 0; k < HandJoints.Count * 3; k++)
                    {
                        joints[(i * HandJoints.Count * 3) + k] = labels.Joint3d[k] * 1000.0;
                    }
                }
            }
            foreach ((int start, int length) in FrameRuns.Of(posed))
            {
                if (length < 2)
                {
                    continue;
                }
                string name = FrameRuns.Name($"dexycb/{video.Key}", start, length, n);
                motions.Add(ReferenceMotion.FromManoPoses(kinematics, name, poses.AsSpan(start * 48, length * 48), fps, synthetic: false));
                clips.Add(new OfficialClip(
                    frames[0].Subject,
                    betas,
                    new Keypoints(joints.AsSpan(start * HandJoints.Count * 3, length * HandJoints.Count * 3).ToArray(), length, HandJoints.Count),
                    labelled.AsSpan(start, length).ToArray(),
                    translations.AsSpan(start * 3, length * 3).ToArray()));
            }
        }
        Log.Information("DexYCB {Split} (official protocol): {Runs} annotated right-hand runs", split, motions.Count);
        return (clips, motions);
    }
}
