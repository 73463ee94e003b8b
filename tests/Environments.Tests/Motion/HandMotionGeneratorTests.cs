using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Environments.Motion;
using MsMano.Environments.Motion.Generator;

namespace MsMano.Environments.Tests.Motion;

public sealed class HandMotionGeneratorTests
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly HandMotionGenerator Default = new(Model);

    // MCP joints of index, middle, ring, pinky (MANO order 1, 4, 10, 7).
    private static readonly int[] McpJoints = [1, 4, 10, 7];

    [Fact]
    public void Every_angle_is_inside_the_joint_limits_with_the_margin_for_many_seeds()
    {
        for (int seed = 0; seed < 12; seed++)
        {
            foreach (GeneratedMotion clip in Default.Generate(4, seed))
            {
                ReferenceMotion m = clip.Motion;
                for (int f = 0; f < m.Frames; f++)
                {
                    ReadOnlySpan<float> a = m.FrameAngles(f);
                    for (int d = 0; d < a.Length; d++)
                    {
                        JointSpec joint = Model.Joints[(d / 3) + 1];
                        double lower = joint.LowerLimit[d % 3], upper = joint.UpperLimit[d % 3];
                        // Strictly inside a range; exactly at a dof MyoHand does not have (range [0, 0]).
                        Assert.True(lower == upper ? a[d] == lower : a[d] > lower && a[d] < upper,
                            $"{m.Name} frame {f} dof {d}: {a[d]} outside ({joint.LowerLimit[d % 3]}, {joint.UpperLimit[d % 3]})");
                        Assert.True(a[d] >= Default.Limits.Lower(d) - 1e-6 && a[d] <= Default.Limits.Upper(d) + 1e-6, $"{m.Name} dof {d} inside the margin");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(30)]
    [InlineData(100)]
    public void Motion_is_smooth_with_bounded_velocity_and_acceleration(double fps)
    {
        var generator = new HandMotionGenerator(Model, new HandMotionOptions { Fps = fps });
        double maxVelocity = 0, maxAcceleration = 0;
        for (int seed = 0; seed < 6; seed++)
        {
            foreach (GeneratedMotion clip in generator.Generate(4, seed))
            {
                ReferenceMotion m = clip.Motion;
                for (int f = 1; f < m.Frames; f++)
                {
                    for (int d = 0; d < ReferenceMotion.DofCount; d++)
                    {
                        double v = (m.FrameAngles(f)[d] - m.FrameAngles(f - 1)[d]) * fps;
                        maxVelocity = Math.Max(maxVelocity, Math.Abs(v));
                        if (f >= 2)
                        {
                            double acc = (m.FrameAngles(f)[d] - (2 * m.FrameAngles(f - 1)[d]) + m.FrameAngles(f - 2)[d]) * fps * fps;
                            maxAcceleration = Math.Max(maxAcceleration, Math.Abs(acc));
                        }
                    }
                }
            }
        }
        // Brisk finger taps reach about 8 rad/s; nothing jumps (one 30 Hz frame moves at most ~0.3 rad).
        Assert.True(maxVelocity < 10, $"peak angular velocity {maxVelocity:F2} rad/s");
        Assert.True(maxAcceleration < 200, $"peak angular acceleration {maxAcceleration:F1} rad/s^2");
        Assert.True(maxVelocity > 1, "the motion should actually move");
    }

    [Fact]
    public void Dip_follows_pip_with_one_ratio_per_finger_and_clip()
    {
        foreach (GeneratedMotion clip in Default.Generate(8, seed: 3))
        {
            ReferenceMotion m = clip.Motion;
            foreach (int mcp in McpJoints)
            {
                int pip = mcp * 3, dip = (mcp + 1) * 3;
                var ratios = new List<double>();
                for (int f = 0; f < m.Frames; f++)
                {
                    double p = m.FrameAngles(f)[pip], d = m.FrameAngles(f)[dip];
                    Assert.InRange(d, (0.6 * p) - 1e-5, (0.8 * p) + 1e-5);
                    if (p > 0.1)
                    {
                        ratios.Add(d / p);
                    }
                }
                Assert.NotEmpty(ratios);
                Assert.True(ratios.Max() - ratios.Min() < 1e-4, $"{m.Name} finger {mcp}: DIP/PIP ratio varies {ratios.Min():F4}..{ratios.Max():F4}");
            }
        }
    }

    [Fact]
    public void Same_seed_same_motion_other_seed_other_motion()
    {
        IReadOnlyList<GeneratedMotion> a = new HandMotionGenerator(Model).Generate(4, seed: 7);
        IReadOnlyList<GeneratedMotion> b = new HandMotionGenerator(Model).Generate(4, seed: 7);
        IReadOnlyList<GeneratedMotion> c = new HandMotionGenerator(Model).Generate(4, seed: 8);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Kind, b[i].Kind);
            Assert.Equal(a[i].Motion.Name, b[i].Motion.Name);
            Assert.Equal(a[i].Motion.Angles.ToArray(), b[i].Motion.Angles.ToArray());
            Assert.NotEqual(a[i].Motion.Angles.ToArray(), c[i].Motion.Angles.ToArray());
        }
        // Clip i depends on (seed, i) only: a longer mix starts with the same clips.
        IReadOnlyList<GeneratedMotion> longer = new HandMotionGenerator(Model).Generate(8, seed: 7);
        Assert.Equal(a[2].Motion.Angles.ToArray(), longer[2].Motion.Angles.ToArray());
    }

    [Fact]
    public void Default_mix_holds_every_kind_in_balanced_rounds()
    {
        IReadOnlyList<GeneratedMotion> four = Default.Generate(4, seed: 1);
        Assert.Equal(HandMotionOptions.AllKinds.Order(), four.Select(g => g.Kind).Order());
        var counts = Default.Generate(12, seed: 2).GroupBy(g => g.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(HandMotionOptions.AllKinds, k => Assert.Equal(3, counts[k]));
        Assert.All(four, g => Assert.True(g.Motion.Synthetic));
        Assert.All(four, g => Assert.Contains(HandMotionGenerator.KindName(g.Kind), g.Motion.Name));

        IReadOnlyList<GeneratedMotion> pinchOnly = new HandMotionGenerator(Model, new HandMotionOptions { Kinds = [HandMotionKind.Pinch] }).Generate(3, seed: 1);
        Assert.All(pinchOnly, g => Assert.Equal(HandMotionKind.Pinch, g.Kind));
    }

    [Fact]
    public void Frame_rate_and_clip_length_are_respected()
    {
        var generator = new HandMotionGenerator(Model, new HandMotionOptions { Fps = 100, ClipSeconds = 2.5 });
        ReferenceMotion m = generator.Generate(1, seed: 4)[0].Motion;
        Assert.Equal(100, m.Fps);
        Assert.Equal(251, m.Frames);
        Assert.Equal(2.5, m.Duration, 9);
        Assert.Equal(31, Default.GenerateSequence(31, seed: 1, name: "s").Frames);
        Assert.Equal(121, Default.GenerateClip(HandMotionKind.Free, seed: 1).Frames);
    }

    [Fact]
    public void Pinch_brings_the_thumb_tip_to_a_fingertip()
    {
        HandKinematics kin = Default.Kinematics;
        for (int seed = 0; seed < 4; seed++)
        {
            ReferenceMotion m = Default.GenerateClip(HandMotionKind.Pinch, seed);
            double start = TipGap(kin, m, 0), closest = Enumerable.Range(0, m.Frames).Min(f => TipGap(kin, m, f));
            Assert.True(start > 0.035, $"seed {seed}: thumb starts {start * 1000:F1} mm from the fingertips");
            Assert.True(closest < 0.02, $"seed {seed}: thumb comes no closer than {closest * 1000:F1} mm");
        }
    }

    [Fact]
    public void Grasp_closes_all_fingers_together_and_tapping_moves_mostly_one_finger()
    {
        ReferenceMotion grasp = Default.GenerateClip(HandMotionKind.Grasp, seed: 2);
        double[] meanMcp = Enumerable.Range(0, grasp.Frames).Select(f => McpJoints.Average(j => (double)grasp.FrameAngles(f)[(j - 1) * 3])).ToArray();
        int peak = Array.IndexOf(meanMcp, meanMcp.Max());
        Assert.True(meanMcp[peak] > 0.5, $"mean MCP flexion at the grip {meanMcp[peak]:F2}");
        Assert.All(McpJoints, j => Assert.True(grasp.FrameAngles(peak)[(j - 1) * 3] > 0.45));

        ReferenceMotion tapping = Default.GenerateClip(HandMotionKind.Tapping, seed: 5);
        float[] rest = McpJoints.Select(j => tapping.FrameAngles(0)[(j - 1) * 3]).ToArray();
        int taps = 0;
        for (int f = 0; f < tapping.Frames; f++)
        {
            double[] rise = McpJoints.Select((j, i) => (double)tapping.FrameAngles(f)[(j - 1) * 3] - rest[i]).ToArray();
            double top = rise.Max();
            if (top > 0.4)
            {
                taps++;
                // Neighbours follow by at most half of the mover's flexion.
                Assert.All(rise.Where(r => r != top), r => Assert.True(r <= 0.5 * top + 1e-6, $"frame {f}: {string.Join(", ", rise)}"));
            }
        }
        Assert.True(taps > 0);
    }

    [Fact]
    public void Wrist_still_by_default_and_bounded_when_asked()
    {
        ReferenceMotion still = Default.GenerateClip(HandMotionKind.Free, seed: 1);
        Assert.All(Enumerable.Range(0, still.Frames), f => Assert.Equal([0f, 0f, 0f], still.RootRotation(f).ToArray()));
        ReferenceMotion moving = new HandMotionGenerator(Model, new HandMotionOptions { WristAmplitude = 0.3 }).GenerateClip(HandMotionKind.Free, seed: 1);
        float max = Enumerable.Range(0, moving.Frames).Max(f => moving.RootRotation(f).ToArray().Max(Math.Abs));
        Assert.InRange(max, 0.01f, 0.3f);
    }

    [Fact]
    public void Bad_options_name_the_setting()
    {
        Assert.Contains("Fps", Assert.Throws<ArgumentOutOfRangeException>(() => new HandMotionGenerator(Model, new HandMotionOptions { Fps = 0 })).Message);
        Assert.Contains("Kinds", Assert.Throws<ArgumentException>(() => new HandMotionGenerator(Model, new HandMotionOptions { Kinds = [] })).Message);
        Assert.Contains("DipPipRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new HandMotionGenerator(Model, new HandMotionOptions { DipPipRatioMin = 0.9, DipPipRatioMax = 0.7 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.Generate(0, 1));
    }

    /// <summary>Distance from the thumb tip to the nearer of the index and middle tips.</summary>
    private static double TipGap(HandKinematics kin, ReferenceMotion m, int frame)
    {
        double[] q = m.FrameAngles(frame).ToArray().Select(x => (double)x).ToArray();
        Vec3[] k = kin.Keypoints(kin.Forward(q));
        return Math.Min((k[4] - k[8]).Norm(), (k[4] - k[12]).Norm());
    }
}
