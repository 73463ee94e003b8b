using MsMano.Biomechanics.Contacts;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.ModelFormats.Import;
using MsMano.TestSupport;
using Xunit.Abstractions;

namespace MsMano.ModelFormats.Tests.Import;

/// <summary>MyoHand's skin capsules in the converted model: MuJoCo's collision filter, and the pruning to pairs that can touch.</summary>
public sealed class MyoHandContactsTests(ITestOutputHelper output)
{
    private static ContactSpec Contacts => MyoHandConverterTests.Converted.Value.Contacts;

    private static bool Paired(string bodyA, string bodyB) =>
        Contacts.Pairs.Any(p =>
        {
            string a = Contacts.Geoms[p.A].Source, b = Contacts.Geoms[p.B].Source;
            return (a.Contains($"body {bodyA})") && b.Contains($"body {bodyB})")) || (a.Contains($"body {bodyB})") && b.Contains($"body {bodyA})"));
        });

    [Fact]
    public void Every_skin_geom_of_the_hand_and_forearm_becomes_a_capsule_with_MyoHands_contact_parameters()
    {
        ContactSpec c = Contacts;
        output.WriteLine($"{c.Geoms.Length} capsules, {c.Pairs.Length} pairs kept of {MyoHandContacts.LastCandidateCount} candidates");
        // ulna 1, radius 2, thumb 3 + its nail, four fingers x (metacarpal, three phalanges, nail).
        Assert.Equal(27, c.Geoms.Length);
        Assert.Equal(5, c.Geoms.Count(g => g.Source.Contains("ellipsoid")));
        // Each geom has margin 0.001; MuJoCo 3.14 adds the two of a pair (contact-check.mjs prints includemargin 0.002).
        Assert.Equal(0.002, c.Margin);
        Assert.Equal([0.02, 1], c.SolRef);
        Assert.Equal([0.8, 0.8, 0.01], c.SolImp);
        Assert.Equal(1, c.Friction);
        // MuJoCo 3.14's body_invweight0 of MyoHand (tools/myohand-reference/contact-check.mjs), wrist and forearm hinges included.
        foreach ((string body, double mujoco) in new[] { ("proxph2", 1.980), ("distph2", 10.534), ("firstmc", 1.074), ("secondmc", 0.907), ("distph5", 7.733) })
        {
            Assert.Equal(mujoco, c.Geoms.First(g => g.Source.Contains($"body {body})")).InverseWeight, mujoco * 0.01);
        }
        // The nail of the index: semi-axes .005 .008 .002 -> radius 2 mm, axis 2 x 6 mm long (16 mm overall, as the nail).
        ContactGeomSpec nail = c.Geoms.Single(g => g.Source.Contains("body distph2") && g.Source.Contains("ellipsoid"));
        Assert.Equal(0.002, nail.Radius, 12);
        Assert.Equal(0.012, (Vec3.From(nail.To) - Vec3.From(nail.From)).Norm(), 9);
    }

    [Fact]
    public void Pairs_follow_MuJoCos_filter_excludes_and_parent_child_and_welded_bodies()
    {
        Assert.False(Paired("proxph2", "proxph3"), "<exclude body1=proxph2 body2=proxph3>");
        Assert.False(Paired("proxph2", "midph2"), "parent and child");
        Assert.False(Paired("proxph2", "secondmc"), "parent and child");
        Assert.False(Paired("firstmc", "secondmc"), "firstmc's parent trapezium is welded to the palm, as secondmc is");
        Assert.False(Paired("radius", "firstmc"), "<exclude body1=radius body2=firstmc>");
        Assert.False(Paired("secondmc", "thirdmc"), "both welded to the palm");
        // Filtering goes by weld body: every metacarpal is welded to the palm, the parent weld of every proximal phalanx.
        Assert.False(Paired("proxph2", "thirdmc"), "thirdmc is welded to proxph2's parent weld body");
        // Neighbours that MuJoCo does let touch.
        Assert.True(Paired("midph2", "midph3"));
        Assert.True(Paired("distph2", "thirdmc"));
        Assert.True(Paired("distal_thumb", "distph2"));
    }

    [Fact]
    public void Every_kept_pair_can_touch_and_a_pruned_pair_cannot_within_the_sampled_ranges()
    {
        HandModel model = MyoHandConverterTests.Converted.Value;
        ContactSpec c = model.Contacts;
        Assert.True(MyoHandContacts.LastCandidateCount > c.Pairs.Length, "pruning removed nothing");
        var kinematics = new HandKinematics(model);
        var rng = new Random(3);
        double[] closest = Enumerable.Repeat(double.PositiveInfinity, c.Pairs.Length).ToArray();
        double[] angles = new double[HandModel.DofCount];
        for (int s = 0; s < 20_000; s++)
        {
            for (int d = 0; d < angles.Length; d++)
            {
                JointSpec j = model.Joints[d / 3 + 1];
                double lo = j.LowerLimit[d % 3] - MyoHandContacts.RangeWidening, hi = j.UpperLimit[d % 3] + MyoHandContacts.RangeWidening;
                double u = rng.NextDouble();
                angles[d] = u < 0.25 ? lo : u < 0.5 ? hi : lo + (hi - lo) * rng.NextDouble();
            }
            HandFrames f = kinematics.Forward(angles);
            for (int p = 0; p < c.Pairs.Length; p++)
            {
                ContactGeomSpec a = c.Geoms[c.Pairs[p].A], b = c.Geoms[c.Pairs[p].B];
                double dist = SegmentDistance.Capsules(f.Point(a.Joint, Vec3.From(a.From)), f.Point(a.Joint, Vec3.From(a.To)), a.Radius,
                    f.Point(b.Joint, Vec3.From(b.From)), f.Point(b.Joint, Vec3.From(b.To)), b.Radius);
                closest[p] = Math.Min(closest[p], dist);
            }
        }
        // An independent sampling reaches every kept pair within a few millimetres (the converter kept them within 2 mm).
        for (int p = 0; p < c.Pairs.Length; p++)
        {
            output.WriteLine($"{c.Geoms[c.Pairs[p].A].Name} / {c.Geoms[c.Pairs[p].B].Name}: closest {closest[p] * 1e3:F1} mm");
            Assert.True(closest[p] < 0.006, $"pair {p} never comes closer than {closest[p] * 1e3:F1} mm");
        }
        Assert.False(Paired("ulna", "distph5"), "the forearm never reaches the little fingertip");
    }
}
