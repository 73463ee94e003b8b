using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Environments.Motion;
using MsMano.Environments.Motion.Generator;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.OakInk;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Evaluation.Tests.Datasets.MotionSources;

public sealed class MotionSourceTests
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly HandKinematics Kin = new(Model);

    /// <summary>Smooth in-limit angles (frames x 45) from the generator: realistic truth for the converters.</summary>
    private static double[][] TruthAngles(int frames, int seed)
    {
        ReferenceMotion motion = new HandMotionGenerator(Model).GenerateSequence(frames, seed, "truth");
        return Enumerable.Range(0, frames).Select(f => motion.FrameAngles(f).ToArray().Select(x => (double)x).ToArray()).ToArray();
    }

    private static void AssertAngles(double[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        for (int d = 0; d < expected.Length; d++)
        {
            Assert.True(Math.Abs(expected[d] - actual[d]) < tolerance, $"{what} dof {d}: expected {expected[d]:F5}, got {actual[d]:F5}");
        }
    }

    [Fact]
    public void Json_and_csv_pose_files_become_reference_motions()
    {
        using var dir = new TempDir();
        double[][] truth = TruthAngles(12, seed: 1);
        float[] poses = truth.SelectMany(a => Kin.PoseFromAngles(a, new Vec3(0.1, 0.2, -0.3)).Select(x => (float)x)).ToArray();
        PoseSequenceJson.Write(dir.File("json", "b.json"), new PoseSequence("second", poses, 60));
        PoseSequenceJson.Write(dir.File("json", "a.json"), new PoseSequence("first", poses[..(5 * 48)], 30, synthetic: true));
        File.WriteAllText(dir.File("json", "notes.txt"), "not a pose file");
        PoseSequenceCsv.Write(dir.File("seq.csv"), new PoseSequence("csv-seq", poses, 30));

        IReadOnlyList<ReferenceMotion> fromFolder = MotionCatalog.Load($"json:{dir.File("json")}");
        Assert.Equal(["first", "second"], fromFolder.Select(m => m.Name));
        Assert.Equal((5, 30.0, true), (fromFolder[0].Frames, fromFolder[0].Fps, fromFolder[0].Synthetic));
        Assert.Equal((12, 60.0, false), (fromFolder[1].Frames, fromFolder[1].Fps, fromFolder[1].Synthetic));

        IReadOnlyList<ReferenceMotion> fromCsv = MotionCatalog.Load($"csv:{dir.File("seq.csv")}");
        ReferenceMotion motion = Assert.Single(fromCsv);
        for (int f = 0; f < truth.Length; f++)
        {
            AssertAngles(truth[f], motion.FrameAngles(f), 1e-5, $"frame {f}");
            AssertAngles(fromFolder[1].FrameAngles(f).ToArray().Select(x => (double)x).ToArray(), motion.FrameAngles(f), 1e-6, "json vs csv");
        }

        Assert.Equal(0.2f, motion.RootRotation(3)[1], 6);
    }

    [Fact]
    public void Bad_pose_files_and_paths_are_named()
    {
        using var dir = new TempDir();
        string one = dir.File("one.json");
        PoseSequenceJson.Write(one, new PoseSequence("one", new float[48], 30));
        DataFormatException single = Assert.Throws<DataFormatException>(() => MotionCatalog.Load($"json:{one}"));
        Assert.Contains(one, single.Message);
        Assert.Contains("poses: 1 frame(s)", single.Message);

        string empty = dir.File("empty", "x.csv");
        File.WriteAllText(empty, "");
        Assert.Contains("holds no .json", Assert.Throws<DataFormatException>(() => MotionCatalog.Load($"json:{Path.GetDirectoryName(empty)}")).Message);
        Assert.Contains("header", Assert.Throws<DataFormatException>(() => MotionCatalog.Load($"csv:{empty}")).Message);
        string missing = Path.Combine(dir.Path, "nope.json");
        Assert.Contains("no such file or folder", Assert.Throws<DataFormatException>(() => MotionCatalog.Load($"json:{missing}")).Message);
    }

    [Theory]
    [InlineData("", "spec", "is empty")]
    [InlineData("mocap:/data", "kind 'mocap'", "synthetic, json, csv, dexycb, oakink")]
    [InlineData("synthetic:clips=abc", "clips=abc", "expected an integer")]
    [InlineData("synthetic:clips=4,speed=2", "'speed=2'", "settings: clips, seconds, seed")]
    [InlineData("synthetic:clips", "'clips'", "key=value")]
    [InlineData("synthetic:seconds=-1", "seconds=-1", "expected a number")]
    [InlineData("synthetic:kinds=grasp+jump", "kinds=grasp+jump", "'jump' is not a motion kind")]
    [InlineData("synthetic:seed=1,seed=2", "'seed=2'", "given twice")]
    [InlineData("json:", "path", "is missing")]
    [InlineData("json:/tmp/x.json?camera=1", "'camera=1'", "not a setting of json")]
    [InlineData("dexycb:/tmp?split=dev", "--mano", "need --mano <MANO_RIGHT.pkl>")]
    [InlineData("oakink:/definitely/not/here", "path '/definitely/not/here'", "is not a folder")]
    [InlineData("oakink:/tmp?views=some", "views=some", "expected one of first, all")]
    public void Bad_specs_name_the_spec_and_the_bad_part(string spec, string part, string problem)
    {
        MotionSpecException error = Assert.Throws<MotionSpecException>(() => MotionCatalog.Load(spec));
        Assert.Contains($"motion spec '{spec}'", error.Message);
        Assert.Contains(part, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void DexYcb_without_mano_explains_the_licence()
    {
        MotionSpecException error = Assert.Throws<MotionSpecException>(() => MotionCatalog.Load("dexycb:/data/dexycb"));
        Assert.Contains("DexYCB poses need --mano <MANO_RIGHT.pkl>", error.Message);
        Assert.Contains("licensed", error.Message);
        Assert.Contains("never shipped", error.Message);
    }

    [Fact]
    public void Synthetic_specs_use_the_generator()
    {
        IReadOnlyList<ReferenceMotion> motions = MotionCatalog.Load("synthetic:clips=5,seconds=1,seed=3,fps=60,kinds=pinch+tapping");
        Assert.Equal(5, motions.Count);
        Assert.All(motions, m => Assert.Equal((61, 60.0, true), (m.Frames, m.Fps, m.Synthetic)));
        Assert.All(motions, m => Assert.True(m.Name.Contains("pinch", StringComparison.Ordinal) || m.Name.Contains("tapping", StringComparison.Ordinal)));
        IReadOnlyList<GeneratedMotion> direct = new HandMotionGenerator(Model, new HandMotionOptions { Fps = 60, ClipSeconds = 1, Kinds = [HandMotionKind.Pinch, HandMotionKind.Tapping] }).Generate(5, 3);
        Assert.Equal(direct[4].Motion.Angles.ToArray(), motions[4].Angles.ToArray());

        IReadOnlyList<ReferenceMotion> defaults = MotionCatalog.Load("synthetic", new MotionCatalogOptions { SyntheticClips = 8 });
        Assert.Equal(8, defaults.Count);
        Assert.Equal(121, defaults[0].Frames);
    }

    [Fact]
    public void DexYcb_pca_poses_are_expanded_and_rotated_into_the_hand_frame()
    {
        using var dir = new TempDir();
        // MANO's frame differs from the hand frame by T: template joints are the model's rest joints turned by T^T.
        Mat3 t = Mat3.RotZ(1.2) * Mat3.RotX(-0.7);
        Vec3[] manoJoints = Enumerable.Range(0, 16).Select(j => (t.Transpose() * Kin.RestCentre(j)) + new Vec3(0.01, -0.02, 0.03)).ToArray();
        string manoPath = dir.File("MANO_RIGHT.npz");
        (double[] components, double[] mean) = SyntheticManoFile.Write(manoPath, manoJoints, seed: 2);
        var global = Mat3.Exp(new Vec3(0.4, -1.1, 2.0));

        const int frames = 4;
        double[][] truth = TruthAngles(frames, seed: 5);
        string root = Path.Combine(dir.Path, "dexycb");
        for (int subject = 2; subject < 10; subject++)
        {
            for (int seq = 0; seq < 5; seq++)
            {
                string name = $"20200101_00000{seq}";
                string seqDir = Path.Combine(root, DexYcbLayout.Subjects[subject], name);
                Directory.CreateDirectory(seqDir);
                File.WriteAllText(Path.Combine(seqDir, "meta.yml"), $"""
                    serials: ['{string.Join("', '", DexYcbLayout.Serials)}']
                    num_frames: {frames}
                    ycb_ids: [1]
                    ycb_grasp_ind: 0
                    mano_sides: [{(subject == 4 ? "left" : "right")}]
                    mano_calib: [calib]
                    extrinsics: '20200702_151821'
                    """);
                if (seq != 4)
                {
                    continue;
                }

                for (int f = 0; f < frames; f++)
                {
                    // Subject 3's frame 1 is unannotated (pose all zero): its video splits into [0] (dropped) and [2, 3].
                    float[] poseM = subject == 3 && f == 1 ? new float[51] : PoseM(truth[f], global, t, components, mean);
                    string label = DexYcbLayout.LabelPath(root, DexYcbLayout.Subjects[subject], name, DexYcbLayout.Serials[0], f);
                    Directory.CreateDirectory(Path.GetDirectoryName(label)!);
                    NpzWriter.Write(label,
                    [
                        new("pose_m", NdArray.FromFloats(poseM, 1, 51)),
                        new("joint_3d", NdArray.FromFloats(new float[63], 1, 21, 3)),
                    ], compressed: true);
                }
            }
        }

        IReadOnlyList<ReferenceMotion> motions = MotionCatalog.Load($"dexycb:{root}?split=test", new MotionCatalogOptions { ManoModelPath = manoPath });
        // Subjects 2-9 minus the left hand (4); subject 3 keeps one run.
        Assert.Equal(7, motions.Count);
        Assert.DoesNotContain(motions, m => m.Name.Contains("subject-05", StringComparison.Ordinal));
        ReferenceMotion split = Assert.Single(motions, m => m.Name.Contains("subject-04", StringComparison.Ordinal));
        Assert.EndsWith("@2", split.Name);
        Assert.Equal(2, split.Frames);
        ReferenceMotion whole = motions[0];
        Assert.Equal($"dexycb/{DexYcbLayout.Subjects[2]}/20200101_000004/{DexYcbLayout.Serials[0]}", whole.Name);
        Assert.False(whole.Synthetic);
        for (int f = 0; f < frames; f++)
        {
            AssertAngles(truth[f], whole.FrameAngles(f), 1e-4, $"frame {f}");
        }

        AssertAngles(truth[3], split.FrameAngles(1), 1e-4, "split run");
        // Root: the hand frame's orientation in the camera, G T^T.
        ReadOnlySpan<float> r = whole.RootRotation(0);
        Vec3 expected = (global * t.Transpose()).Log();
        Assert.True((new Vec3(r[0], r[1], r[2]) - expected).Norm() < 1e-5, $"root {r[0]}, {r[1]}, {r[2]} vs {expected}");

        // A corrupt MANO file is named.
        File.WriteAllText(manoPath, "not an npz");
        Assert.Contains(manoPath, Assert.ThrowsAny<Exception>(() => MotionCatalog.Load($"dexycb:{root}?split=test", new MotionCatalogOptions { ManoModelPath = manoPath })).Message);
    }

    [Fact]
    public void OakInk_keypoints_are_fitted_by_inverse_kinematics_and_split_at_gaps()
    {
        using var dir = new TempDir();
        string anno = dir.File("image", "anno");
        Directory.CreateDirectory(Path.Combine(anno, "hand_j"));
        const int frames = 6;
        double[][] truth = TruthAngles(frames, seed: 9);
        var camera = Mat3.Exp(new Vec3(2.2, 0.3, -0.5));
        var position = new Vec3(0.05, -0.03, 0.6);
        const string seq = "A01001_0001_0000/2021-09-26-19-59-58";
        var items = new List<string>();
        foreach (int view in new[] { 2, 1 })
        {
            for (int f = 0; f < frames; f++)
            {
                if (view == 1 && f == 3)
                {
                    continue; // dropped by the split's visibility rule: a gap
                }

                items.Add($"[\"{seq}\", 0, {f}, {view}]");
                // The dataset's hand is 8 % larger than the model.
                Vec3[] keypoints = Kin.Keypoints(Kin.Forward(truth[f], camera, position)).Select(p => position + ((p - position) * 1.08)).ToArray();
                float[] values = keypoints.SelectMany(p => new[] { (float)p.X, (float)p.Y, (float)p.Z }).ToArray();
                var entry = new OakInkEntry(seq, 0, f, view);
                PickleWriter.WriteFile(OakInkAnnotations.HandJointsPath(anno, entry), NdArray.FromFloats(values, 21, 3), 2, python2Strings: true);
            }
        }

        string splitFile = OakInkSplit.FilePath(anno, OakInkSplitName.SP0, test: false);
        Directory.CreateDirectory(Path.GetDirectoryName(splitFile)!);
        File.WriteAllText(splitFile, "[" + string.Join(", ", items) + "]");

        IReadOnlyList<ReferenceMotion> motions = MotionCatalog.Load($"oakink:{dir.Path}");
        Assert.Equal(2, motions.Count); // view 1 only, split at frame 3
        Assert.All(motions, m => Assert.Contains("view1", m.Name));
        Assert.Equal(("@0", 3), (motions[0].Name[^2..], motions[0].Frames));
        Assert.Equal(("@4", 2), (motions[1].Name[^2..], motions[1].Frames));
        for (int f = 0; f < 3; f++)
        {
            // The fitted hand, wrist-relative, matches the (size-normalised) keypoints to well under a millimetre...
            double[] fitted = motions[0].FrameAngles(f).ToArray().Select(x => (double)x).ToArray();
            ReadOnlySpan<float> rot = motions[0].RootRotation(f);
            Vec3[] mine = Kin.Keypoints(Kin.Forward(fitted, Mat3.Exp(new Vec3(rot[0], rot[1], rot[2]))));
            Vec3[] theirs = Kin.Keypoints(Kin.Forward(truth[f], camera));
            double error = mine.Zip(theirs, (a, b) => ((a - mine[0]) - (b - theirs[0])).Norm()).Average();
            Assert.True(error < 2e-4, $"frame {f}: mean keypoint error {error * 1000:F3} mm");
            // ...and flexion comes back (the narrow off-axes barely move a keypoint and may trade off with it a little).
            for (int d = 0; d < 45; d += 3)
            {
                Assert.True(Math.Abs(truth[f][d] - fitted[d]) < 0.03, $"frame {f} dof {d}: {truth[f][d]:F4} vs {fitted[d]:F4}");
            }
        }

        ReadOnlySpan<float> r = motions[1].RootRotation(0);
        Assert.True((Mat3.Exp(new Vec3(r[0], r[1], r[2])).Column(1) - camera.Column(1)).Norm() < 1e-5);

        Assert.Equal(3, MotionCatalog.Load($"oakink:{anno}?views=all").Count);
        DataFormatException noTest = Assert.Throws<DataFormatException>(() => MotionCatalog.Load($"oakink:{dir.Path}?part=test"));
        Assert.Contains("seq_test.json", noTest.Message);

        // A frame whose keypoints all coincide cannot be fitted; the error names its hand_j file.
        string degenerate = OakInkAnnotations.HandJointsPath(anno, new OakInkEntry(seq, 0, 0, 1));
        PickleWriter.WriteFile(degenerate, NdArray.FromFloats(Enumerable.Repeat(0.5f, 63).ToArray(), 21, 3), 2);
        DataFormatException bad = Assert.Throws<DataFormatException>(() => MotionCatalog.Load($"oakink:{dir.Path}"));
        Assert.Contains(degenerate, bad.Message);
        Assert.Contains("hand_j", bad.Message);

        string elsewhere = dir.File("elsewhere");
        Directory.CreateDirectory(elsewhere);
        DataFormatException noAnno = Assert.Throws<DataFormatException>(() => MotionCatalog.Load($"oakink:{elsewhere}"));
        Assert.Contains("hand_j", noAnno.Message);
    }

    /// <summary>DexYCB's pose_m for hand-frame angles: MANO-frame joint rotations as PCA coefficients, global, translation.</summary>
    private static float[] PoseM(double[] angles, Mat3 global, Mat3 t, double[] components, double[] mean)
    {
        double[] pose = Kin.PoseFromAngles(angles);
        double[] full = new double[45];
        for (int j = 0; j < 15; j++)
        {
            Vec3 v = t.Transpose() * new Vec3(pose[3 + (j * 3)], pose[4 + (j * 3)], pose[5 + (j * 3)]);
            (full[j * 3], full[(j * 3) + 1], full[(j * 3) + 2]) = (v.X, v.Y, v.Z);
        }

        float[] poseM = new float[51];
        Vec3 g = global.Log();
        (poseM[0], poseM[1], poseM[2]) = ((float)g.X, (float)g.Y, (float)g.Z);
        // full = mean + c . H with H orthogonal and symmetric, so c = (full - mean) . H.
        for (int c = 0; c < 45; c++)
        {
            double sum = 0;
            for (int i = 0; i < 45; i++)
            {
                sum += (full[i] - mean[i]) * components[(c * 45) + i];
            }

            poseM[3 + c] = (float)sum;
        }

        (poseM[48], poseM[49], poseM[50]) = (0.1f, -0.05f, 0.7f);
        return poseM;
    }
}
