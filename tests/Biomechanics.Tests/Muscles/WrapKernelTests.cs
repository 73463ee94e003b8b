using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
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
            int wrapped = 0, inside = 0, compared = 0;
            for (int a = 0; a < agents; a++)
            {
                MuscleGeometry reference = geometry.Evaluate(poses[a]);
                for (int m = 0; m < plant.MuscleCount; m++)
                {
                    int rm = Array.FindIndex(model.Muscles, s => s.Name == plant.MuscleNames[m]);
                    float length = batch.MomentArms(a, m, arms);
                    double straight = StraightLength(model, poses[a], rm);
                    wrapped += reference.Lengths[rm] > straight + 1e-6 ? 1 : 0;
                    inside += InsideOnlyLength(model, poses[a], rm) > straight + 1e-6 ? 1 : 0;
                    worstLength = Math.Max(worstLength, Math.Abs(length - reference.Lengths[rm]));
                    for (int d = 0; d < plant.DofCount; d++)
                    {
                        worstArm = Math.Max(worstArm, Math.Abs(arms[d] - reference.MomentArms[rm, d]));
                    }
                    compared++;
                }
            }
            output.WriteLine($"{placement}, {width}: {compared} paths ({wrapped} wrapped, {inside} through an inside wrap), worst |length error| {worstLength * 1e6:F2} um, worst |arm error| {worstArm * 1e6:F2} um");
            Assert.True(wrapped > agents, $"only {wrapped} wrapped paths: the poses do not exercise the wraps");
            Assert.True(inside > agents, $"only {inside} paths touch an inside wrap: the poses do not exercise them");
            Assert.True(worstLength < 2e-6, $"{placement}, {width}: length off by {worstLength * 1e6:F2} um");
            Assert.True(worstArm < 2e-5, $"{placement}, {width}: moment arm off by {worstArm * 1e6:F2} um");
        }
    }

    /// <summary>
    /// MuJoCo's inside wrap (side point within the surface): over random segments around a cylinder and a sphere, the
    /// kernel's contact (Newton on its angle, float) against WrapSolver's port of wrap_inside (Newton on the sine of the
    /// reflection angle, double), and the same decision where the segment crosses the circle or an end lies inside it.
    /// Where MuJoCo's own Newton gives up it falls back to the chord midpoint's direction, a longer path than the
    /// contact the kernel finds; those lanes are counted (they must stay rare).
    /// </summary>
    [Theory]
    [InlineData(WrapKind.Cylinder)]
    [InlineData(WrapKind.Sphere)]
    public void Inside_wrap_contact_matches_the_reference_solution(WrapKind kind)
    {
        const double radius = 0.0085;
        var rng = new Random(5);
        Vec3 centre = new(0.01, -0.02, 0.005);
        Vec3 axis = new Vec3(0.3, -0.2, 0.93).Normalized();
        var surface = new WrapSurface(kind, centre, axis, radius, centre + axis * (0.3 * radius));
        var shape = new WrapShape(kind == WrapKind.Sphere, radius, centre, surface.Side, axis);
        Assert.Equal(WrapRule.Inside, shape.Rule);
        int touching = 0, straight = 0, fallbacks = 0;
        double worst = 0, worstPath = 0;
        float[] a = new float[24], b = new float[24];
        for (int round = 0; round < 200; round++)
        {
            Vec3[] p0 = new Vec3[8], p1 = new Vec3[8];
            for (int lane = 0; lane < 8; lane++)
            {
                p0[lane] = centre + RandomDirection(rng) * (radius * (0.8 + 3 * rng.NextDouble()));
                p1[lane] = centre + RandomDirection(rng) * (radius * (0.8 + 3 * rng.NextDouble()));
                for (int k = 0; k < 3; k++)
                {
                    a[8 * k + lane] = (float)p0[lane][k];
                    b[8 * k + lane] = (float)p1[lane][k];
                }
            }
            var pa = new Vec3<Lane8>(Lane8.Load(a, 0), Lane8.Load(a, 8), Lane8.Load(a, 16));
            var pb = new Vec3<Lane8>(Lane8.Load(b, 0), Lane8.Load(b, 8), Lane8.Load(b, 16));
            Lane8 arc = WrapKernel<Lane8>.Solve(shape, pa, pb, out Vec3<Lane8> t0, out Vec3<Lane8> t1, out Lane8 valid);
            for (int lane = 0; lane < 8; lane++)
            {
                double reference = WrapSolver.Solve(surface, p0[lane], p1[lane], out Vec3 r0, out Vec3 r1);
                bool wraps = Lane8.Lane(valid, lane) != 0;
                Assert.True(reference >= 0 == wraps, $"{kind}, round {round}, lane {lane}: reference {(reference >= 0 ? "touches" : "is straight")}, kernel {(wraps ? "touches" : "is straight")}");
                if (!wraps)
                {
                    straight++;
                    continue;
                }
                touching++;
                Assert.Equal(0, reference);
                Assert.Equal(0f, Lane8.Lane(arc, lane));
                Vec3 k0 = new(Lane8.Lane(t0.X, lane), Lane8.Lane(t0.Y, lane), Lane8.Lane(t0.Z, lane));
                Vec3 k1 = new(Lane8.Lane(t1.X, lane), Lane8.Lane(t1.Y, lane), Lane8.Lane(t1.Z, lane));
                double error = Math.Max((k0 - r0).Norm(), (k1 - r1).Norm());
                double kernelPath = (k0 - p0[lane]).Norm() + (p1[lane] - k0).Norm();
                double referencePath = (r0 - p0[lane]).Norm() + (p1[lane] - r0).Norm();
                if (error > 5e-7 && kernelPath < referencePath - 1e-9)
                {
                    fallbacks++;
                    continue;
                }
                worst = Math.Max(worst, error);
                worstPath = Math.Max(worstPath, Math.Abs(kernelPath - referencePath));
            }
        }
        output.WriteLine($"{kind}: {touching} touching ({fallbacks} where MuJoCo's Newton falls back), {straight} straight, worst contact point error {worst * 1e6:F3} um, worst path length error {worstPath * 1e9:F3} nm");
        Assert.True(touching > 300 && straight > 300, $"{touching} touching and {straight} straight segments do not exercise both cases");
        Assert.True(fallbacks * 100 < touching, $"{fallbacks} of {touching} contacts differ from MuJoCo's fallback");
        // MuJoCo's Newton stops at |f| < 1e-6 rad, which leaves its contact up to ~0.3 um off where the path is flat.
        Assert.True(worst < 5e-7, $"{kind}: contact point off by {worst * 1e6:F3} um");
        // The ends reach the kernel as floats (about 2 nm at 3 cm), so the path agrees to that.
        Assert.True(worstPath < 1e-8, $"{kind}: path length off by {worstPath * 1e9:F3} nm");
    }

    private static Vec3 RandomDirection(Random rng)
    {
        Vec3 v = new(rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1);
        return v.Norm() < 1e-3 ? Vec3.UnitX : v.Normalized();
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
            w.FirstSubstep = true;
            Lane8 solved = StepKernel<Lane8>.PathGeometry(muscle, m, w);
            Lane8[] solvedArms = w.G.Take(muscle.Dofs.Length).ToArray();
            w.FirstSubstep = false;
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

    /// <summary>The same path with only its inside wraps (side point within the surface) kept.</summary>
    private static double InsideOnlyLength(HandModel model, double[] q, int muscle)
    {
        MuscleSpec spec = model.Muscles[muscle];
        WrapSpec[] inside = (spec.Wraps ?? []).Where(w => WrapSolver.IsInside(Vec3.From(w.Center), w.Side is null ? null : Vec3.From(w.Side), w.Radius)).ToArray();
        HandModel only = model with { Muscles = [spec with { Wraps = inside }] };
        return new MusclePathGeometry(only).Evaluate(q).Lengths[0];
    }

    /// <summary>The same path with every wrap removed.</summary>
    private static double StraightLength(HandModel model, double[] q, int muscle)
    {
        HandModel straight = model with { Muscles = [model.Muscles[muscle] with { Wraps = [] }] };
        return new MusclePathGeometry(straight).Evaluate(q).Lengths[0];
    }
}
