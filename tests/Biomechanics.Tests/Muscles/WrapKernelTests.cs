using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Muscles.Wrapping;
using MsMano.Biomechanics.Simd;
using MsMano.Biomechanics.Tests.Kinematics;
using Xunit.Abstractions;

namespace MsMano.Biomechanics.Tests.Muscles;

/// <summary>
/// The step kernel's wrapped paths (float, SIMD, the wrap solved in its body's frame) against the double-precision
/// reference geometry, for each way a wrap can sit: on the segment's first body (every MyoHand wrap), on its last body,
/// or on a third body. The last two are built by moving each wrap to another joint with its rest geometry unchanged.
/// </summary>
public sealed class WrapKernelTests(ITestOutputHelper output)
{
    public static TheoryData<string> Placements => new() { "first", "last", "third" };

    [Theory]
    [MemberData(nameof(Placements))]
    public void Kernel_lengths_and_moment_arms_match_the_reference_geometry_at_random_poses(string placement)
    {
        HandModel model = Placed(HandModelFile.LoadDefault(), placement);
        var plant = new HandPlant(model);
        CountAnchors(plant, placement);
        var geometry = new MusclePathGeometry(model);
        var rng = new Random(11);
        const int agents = 16;
        double[][] poses = Enumerable.Range(0, agents).Select(_ => HandKinematicsTests.RandomAngles(rng, model, margin: 1e-3)).ToArray();
        foreach (LaneWidth width in new[] { LaneWidth.Wide8, LaneWidth.Scalar })
        {
            var batch = new HandBatch(plant, agents, width: width);
            for (int a = 0; a < agents; a++)
            {
                batch.SetState(a, poses[a].Select(v => (float)v).ToArray(), new float[plant.DofCount]);
            }
            float[] arms = new float[plant.DofCount];
            double worstLength = 0, worstArm = 0;
            int wrapped = 0, compared = 0;
            for (int a = 0; a < agents; a++)
            {
                MuscleGeometry reference = geometry.Evaluate(poses[a]);
                for (int m = 0; m < plant.MuscleCount; m++)
                {
                    int rm = Array.FindIndex(model.Muscles, s => s.Name == plant.MuscleNames[m]);
                    float length = batch.MomentArms(a, m, arms);
                    double straight = StraightLength(model, poses[a], rm);
                    wrapped += reference.Lengths[rm] > straight + 1e-6 ? 1 : 0;
                    worstLength = Math.Max(worstLength, Math.Abs(length - reference.Lengths[rm]));
                    for (int d = 0; d < plant.DofCount; d++)
                    {
                        worstArm = Math.Max(worstArm, Math.Abs(arms[d] - reference.MomentArms[rm, d]));
                    }
                    compared++;
                }
            }
            output.WriteLine($"{placement}, {width}: {compared} paths ({wrapped} wrapped), worst |length error| {worstLength * 1e6:F2} um, worst |arm error| {worstArm * 1e6:F2} um");
            Assert.True(wrapped > agents, $"only {wrapped} wrapped paths: the poses do not exercise the wraps");
            Assert.True(worstLength < 2e-6, $"{placement}, {width}: length off by {worstLength * 1e6:F2} um");
            Assert.True(worstArm < 2e-5, $"{placement}, {width}: moment arm off by {worstArm * 1e6:F2} um");
        }
    }

    /// <summary>Between solves the tangent points ride on their bodies: at the pose of the solve they give the same path.</summary>
    [Theory]
    [MemberData(nameof(Placements))]
    public void Held_tangent_points_reproduce_the_solve_at_its_pose(string placement)
    {
        HandModel model = Placed(HandModelFile.LoadDefault(), placement);
        var plant = new HandPlant(model);
        var state = new HandBatchState(8, plant.DofCount, plant.MuscleCount);
        var rng = new Random(3);
        for (int a = 0; a < 8; a++)
        {
            double[] q = HandKinematicsTests.RandomAngles(rng, model, margin: 1e-3);
            for (int d = 0; d < plant.DofCount; d++)
            {
                state.Q[d * state.Stride + a] = (float)q[d];
            }
        }
        var w = new StepKernel<Lane8>.Workspace(plant);
        StepKernel<Lane8>.Kinematics(plant, state, 0, w);
        double worst = 0;
        for (int m = 0; m < plant.MuscleCount; m++)
        {
            CompiledMuscle muscle = plant.Muscles[m];
            w.RefreshWraps = true;
            Lane8 solved = StepKernel<Lane8>.PathGeometry(muscle, m, w);
            Lane8[] solvedArms = w.G.Take(muscle.Dofs.Length).ToArray();
            w.RefreshWraps = false;
            Lane8 held = StepKernel<Lane8>.PathGeometry(muscle, m, w);
            for (int lane = 0; lane < 8; lane++)
            {
                worst = Math.Max(worst, Math.Abs(Lane8.Lane(solved, lane) - Lane8.Lane(held, lane)));
                for (int k = 0; k < muscle.Dofs.Length; k++)
                {
                    worst = Math.Max(worst, Math.Abs(Lane8.Lane(solvedArms[k], lane) - Lane8.Lane(w.G[k], lane)));
                }
            }
        }
        Assert.True(worst < 1e-6, $"{placement}: held path differs from the solve by {worst:E2}");
    }

    /// <summary>
    /// "first": the model as shipped. "last": every wrap moved to its segment's last body. "third": wraps not on the
    /// root moved to the root, so neither end of the segment is on the wrap's body.
    /// </summary>
    private static HandModel Placed(HandModel model, string placement)
    {
        if (placement == "first")
        {
            return model;
        }
        MuscleSpec[] muscles = model.Muscles.Select(m => m with
        {
            Wraps = (m.Wraps ?? []).Select(w =>
            {
                int target = placement == "last" ? m.Path[w.Segment + 1].Joint : 0;
                if (placement == "third" && m.Path[w.Segment].Joint == 0)
                {
                    // Already on the root with its first end: leave it, there is no third body to move it to.
                    return w;
                }
                double[] shift = [.. Enumerable.Range(0, 3).Select(k => model.Joints[w.Joint].Position[k] - model.Joints[target].Position[k])];
                return w with
                {
                    Joint = target,
                    Center = [.. w.Center.Select((c, k) => c + shift[k])],
                    Side = w.Side is null ? null : [.. w.Side.Select((c, k) => c + shift[k])],
                };
            }).ToArray(),
        }).ToArray();
        return model with { Muscles = muscles };
    }

    private static void CountAnchors(HandPlant plant, string placement)
    {
        WrapAnchor[] anchors = plant.Muscles.SelectMany(m => m.WrapAnchorEnd).ToArray();
        WrapAnchor expected = placement switch { "first" => WrapAnchor.A, "last" => WrapAnchor.B, _ => WrapAnchor.None };
        Assert.Contains(expected, anchors);
        Assert.True(anchors.Count(a => a == expected) >= 10, $"{placement}: {anchors.Count(a => a == expected)} wraps placed as {expected}");
    }

    /// <summary>The same path with every wrap removed.</summary>
    private static double StraightLength(HandModel model, double[] q, int muscle)
    {
        HandModel straight = model with { Muscles = [model.Muscles[muscle] with { Wraps = [] }] };
        return new MusclePathGeometry(straight).Evaluate(q).Lengths[0];
    }
}
