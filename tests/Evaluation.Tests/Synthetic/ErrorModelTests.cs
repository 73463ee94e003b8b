using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.Tests.Synthetic;

public sealed class ErrorModelTests
{
    private static readonly SyntheticErrorOptions Silent = new()
    {
        JitterStd = 0, DriftStd = 0, OcclusionRate = 0, TwistProbability = 0,
    };

    [Fact]
    public void Seeded_and_labelled_synthetic()
    {
        PoseSequence gt = SyntheticMotion.Generate("g", 120, 30, seed: 2);
        PoseSequence a = new BaseEstimatorErrorModel(new SyntheticErrorOptions { Seed = 5 }).Apply(gt);
        PoseSequence b = new BaseEstimatorErrorModel(new SyntheticErrorOptions { Seed = 5 }).Apply(gt);
        PoseSequence c = new BaseEstimatorErrorModel(new SyntheticErrorOptions { Seed = 6 }).Apply(gt);
        Assert.Equal(a.Poses, b.Poses);
        Assert.NotEqual(a.Poses, c.Poses);
        Assert.True(a.Synthetic);
        Assert.True(gt.Synthetic);
        Assert.Contains("synthetic", a.Name);
    }

    [Fact]
    public void No_error_sources_returns_the_input()
    {
        PoseSequence gt = SyntheticMotion.Generate("g", 50, 30, seed: 3);
        PoseSequence same = new BaseEstimatorErrorModel(Silent).Apply(gt);
        Assert.True(MaxAngle(gt, same) < 1e-5);
    }

    [Fact]
    public void Jitter_has_the_documented_size_and_no_memory_while_drift_is_correlated()
    {
        PoseSequence gt = SyntheticMotion.Generate("g", 3000, 30, seed: 4);
        const double sigma = 0.03;
        PoseSequence jitter = new BaseEstimatorErrorModel(Silent with { JitterStd = sigma, WristScale = 1 }).Apply(gt);
        // Isotropic 3-D Gaussian of std σ per axis: mean rotation angle = σ·sqrt(8/π).
        double[] angles = Angles(gt, jitter, joint: 5);
        Assert.InRange(angles.Average(), 0.93 * sigma * Math.Sqrt(8 / Math.PI), 1.07 * sigma * Math.Sqrt(8 / Math.PI));
        Assert.InRange(Lag1(angles), -0.1, 0.1);

        PoseSequence drift = new BaseEstimatorErrorModel(Silent with { DriftStd = 0.05, DriftTimeConstant = 0.5 }).Apply(gt);
        Assert.True(Lag1(Angles(gt, drift, joint: 5)) > 0.8);
    }

    [Fact]
    public void Frozen_bursts_repeat_a_frame_and_twists_turn_about_the_bone_axis()
    {
        PoseSequence gt = SyntheticMotion.Generate("g", 600, 30, seed: 8);
        PoseSequence frozen = new BaseEstimatorErrorModel(Silent with { OcclusionRate = 1, OcclusionFreezeProbability = 1, Seed = 3 })
            .Apply(gt, out SyntheticCorruptionLog log);
        Assert.NotEmpty(log.OcclusionBursts);
        foreach ((int start, int length, bool isFrozen) in log.OcclusionBursts)
        {
            Assert.True(isFrozen);
            for (int f = start + 1; f < Math.Min(gt.Frames, start + length); f++)
            {
                Assert.Equal(frozen.Frame(start).ToArray(), frozen.Frame(f).ToArray());
            }
        }

        double[] axes = BoneAxes.ApproximateMano();
        PoseSequence twisted = new BaseEstimatorErrorModel(Silent with { TwistProbability = 0.01, Seed = 9 }).Apply(gt, out SyntheticCorruptionLog twistLog);
        Assert.NotEmpty(twistLog.Twists);
        (int twistStart, _, int joint, double angle) = twistLog.Twists[0];
        Assert.InRange(Math.Abs(angle), 0.6, 1.4);
        Quat g = Rotation(gt, twistStart, joint);
        Quat p = Rotation(twisted, twistStart, joint);
        // gt⁻¹·pred is exactly the twist (when no other twist overlaps this one).
        (double x, double y, double z) = (g.Conjugate() * p).ToRotationVector();
        double expected = angle;
        Assert.Equal(axes[joint * 3] * expected, x, 4);
        Assert.Equal(axes[(joint * 3) + 1] * expected, y, 4);
        Assert.Equal(axes[(joint * 3) + 2] * expected, z, 4);
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new BaseEstimatorErrorModel(new SyntheticErrorOptions { JitterStd = -1 }));
        Assert.Contains("JitterStd", error.Message);
    }

    private static Quat Rotation(PoseSequence s, int frame, int joint)
    {
        Span<float> v = s.Frame(frame).Slice(joint * 3, 3);
        return Quat.FromRotationVector(v[0], v[1], v[2]);
    }

    private static double[] Angles(PoseSequence a, PoseSequence b, int joint) =>
        Enumerable.Range(0, a.Frames).Select(f => Quat.Angle(Rotation(a, f, joint), Rotation(b, f, joint))).ToArray();

    private static double MaxAngle(PoseSequence a, PoseSequence b) =>
        Enumerable.Range(0, 16).Max(j => Angles(a, b, j).Max());

    private static double Lag1(double[] x)
    {
        double mean = x.Average();
        double num = 0, den = 0;
        for (int i = 0; i < x.Length; i++)
        {
            den += (x[i] - mean) * (x[i] - mean);
            if (i > 0)
            {
                num += (x[i] - mean) * (x[i - 1] - mean);
            }
        }

        return num / den;
    }
}
