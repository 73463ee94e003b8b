using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.Tests.Synthetic;

public sealed class SyntheticMotionTests
{
    [Fact]
    public void Sequence_is_generator_motion_inside_the_limits_with_a_slow_wrist()
    {
        HandModel model = HandModelFile.LoadDefault();
        var kin = new HandKinematics(model);
        var limits = DofLimits.Of(model);
        PoseSequence gt = SyntheticMotion.Generate("g", 240, 30, seed: 6);
        Assert.Equal(240, gt.Frames);
        Assert.True(gt.Synthetic);
        Assert.Equal(30, gt.Fps);
        double maxFlexion = 0;
        for (int f = 0; f < gt.Frames; f++)
        {
            double[] pose = gt.Frame(f).ToArray().Select(x => (double)x).ToArray();
            double[] angles = kin.AnglesFromPose(pose);
            // Float storage of the axis-angles may round a hair past a limit; the generator keeps a 0.02 rad margin.
            Assert.All(Enumerable.Range(0, 45), d => Assert.InRange(angles[d], limits.Lower(d) - 1e-4, limits.Upper(d) + 1e-4));
            Assert.All(pose.Take(3), w => Assert.InRange(Math.Abs(w), 0, SyntheticMotion.WristAmplitude * Math.Sqrt(3) + 1e-6));
            maxFlexion = Math.Max(maxFlexion, angles[0]);
        }

        Assert.True(maxFlexion > 0.4, "the index MCP should flex somewhere in 8 s of hand motion");
        Assert.Equal(gt.Poses, SyntheticMotion.Generate("g", 240, 30, seed: 6).Poses);
        Assert.NotEqual(gt.Poses, SyntheticMotion.Generate("g", 240, 30, seed: 7).Poses);
        Assert.Equal(1, SyntheticMotion.Generate("one", 1, 30, seed: 1).Frames);
    }
}
