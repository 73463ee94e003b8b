using System.Runtime.Intrinsics;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Contacts;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Simd;
using MsMano.Biomechanics.Tests.Dynamics;
using Xunit.Abstractions;
using V3 = MsMano.Biomechanics.Kinematics.Algebra.Vec3;

namespace MsMano.Biomechanics.Tests.Contacts;

/// <summary>
/// Skin contacts: the SIMD capsule distance against the double-precision reference, MuJoCo's soft normal force for a
/// known penetration, and two fingers side by side, where one pushed into the other moves it only with contacts.
/// </summary>
public sealed class ContactTests(ITestOutputHelper output)
{
    private const double Spacing = 0.01;     // pivots at x = -/+ 1 cm
    private const double Radius = 0.008;     // capsules 4 mm apart at rest
    private const double Mass = 0.01, Com = 0.03, Inertia = 1e-5;

    /// <summary>Two one-joint "fingers" hanging along -y from the palm, each with a capsule from 1 to 4 cm down its link.</summary>
    internal static HandModel TwoFingers(bool contacts)
    {
        JointSpec Finger(string name, double x) => new()
        {
            Name = name,
            Parent = 0,
            Position = [x, 0, 0],
            Frame = [1, 0, 0, 0],
            LowerLimit = [-3, -3, -3],
            UpperLimit = [3, 3, 3],
            Damping = [0, 0, 0],
            Armature = [0, 0, 0],
            Body = new BodySpec { Mass = Mass, CenterOfMass = [0, -Com, 0], Inertia = [Inertia, Inertia, Inertia, 0, 0, 0] },
        };
        var spec = new ContactSpec
        {
            Margin = 0.001,
            SolRef = [0.02, 1],
            SolImp = [0.8, 0.8, 0.01],
            Geoms =
            [
                new ContactGeomSpec { Name = "a", Joint = 1, From = [0, -0.01, 0], To = [0, -0.04, 0], Radius = Radius },
                new ContactGeomSpec { Name = "b", Joint = 2, From = [0, -0.01, 0], To = [0, -0.04, 0], Radius = Radius },
            ],
            Pairs = contacts ? [new ContactPairSpec { A = 0, B = 1 }] : [],
        };
        return new HandModel
        {
            Name = "two fingers",
            Gravity = [0, 0, 0],
            Joints = [TestModels.Root(), Finger("a", -Spacing), Finger("b", Spacing)],
            Contacts = spec,
        };
    }

    [Fact]
    public void Simd_capsule_distance_matches_the_double_precision_reference()
    {
        var plant = new HandPlant(TwoFingers(contacts: true) with
        {
            Contacts = TwoFingers(true).Contacts with
            {
                Geoms =
                [
                    new ContactGeomSpec { Joint = 1, From = [0, 0, 0], To = [0.013, -0.021, 0.004], Radius = 0.007 },
                    new ContactGeomSpec { Joint = 2, From = [0, 0, 0], To = [-0.004, -0.017, 0.009], Radius = 0.005 },
                ],
            },
        });
        var rng = new Random(5);
        var w = new StepKernel<Lane8>.Workspace(plant);
        double worst = 0, worstNormal = 0, worstParallel = 0;
        int parallel = 0;
        for (int round = 0; round < 200; round++)
        {
            // Random poses of the two fixed-length segments, a quarter of them near-parallel or crossing.
            var p0 = new V3[8]; var p1 = new V3[8]; var q0 = new V3[8]; var q1 = new V3[8];
            for (int lane = 0; lane < 8; lane++)
            {
                V3 da = RandomUnit(rng) * Math.Sqrt(plant.Contacts.GeomLengthSquared[0]);
                V3 db = round % 4 == 0 ? (da + RandomUnit(rng) * 1e-5).Normalized() * Math.Sqrt(plant.Contacts.GeomLengthSquared[1]) : RandomUnit(rng) * Math.Sqrt(plant.Contacts.GeomLengthSquared[1]);
                p0[lane] = RandomUnit(rng) * (0.03 * rng.NextDouble());
                p1[lane] = p0[lane] + da;
                q0[lane] = RandomUnit(rng) * (0.03 * rng.NextDouble());
                q1[lane] = q0[lane] + db;
            }
            w.ContactEnds[0] = Pack(p0); w.ContactEnds[1] = Pack(p1); w.ContactEnds[2] = Pack(q0); w.ContactEnds[3] = Pack(q1);
            Lane8 distance = ContactKernel<Lane8>.Closest(plant.Contacts, 0, 1, w, out _, out Vec3<Lane8> normal);
            for (int lane = 0; lane < 8; lane++)
            {
                double reference = SegmentDistance.Closest(p0[lane], p1[lane], q0[lane], q1[lane], out V3 onA, out V3 onB) - 0.012;
                double error = Math.Abs(Lane8.Lane(distance, lane) - reference);
                if (round % 4 == 0)
                {
                    // Nearly parallel axes (about 4e-4 rad apart): the kernel takes the middle of the overlap, where the
                    // distance differs from the minimum by at most the axis length times the angle (about 10 um).
                    worstParallel = Math.Max(worstParallel, error);
                }
                else
                {
                    worst = Math.Max(worst, error);
                }
                if (reference + 0.012 > 1e-4)
                {
                    V3 n = (onB - onA).Normalized();
                    var got = new V3(Lane8.Lane(normal.X, lane), Lane8.Lane(normal.Y, lane), Lane8.Lane(normal.Z, lane));
                    // Near-parallel axes have a whole line of closest pairs; the distance is unique, the normal is not.
                    if (round % 4 != 0)
                    {
                        worstNormal = Math.Max(worstNormal, (got - n).Norm());
                    }
                    else
                    {
                        parallel++;
                    }
                }
            }
        }
        output.WriteLine($"1600 pairs: worst |distance error| {worst * 1e6:F3} um ({worstParallel * 1e6:F3} um for the {parallel} near-parallel ones), worst normal error {worstNormal:E2}");
        Assert.True(worst < 1e-6, $"worst distance error {worst * 1e6:F3} um");
        Assert.True(worstParallel < 12e-6, $"worst near-parallel distance error {worstParallel * 1e6:F3} um");
        Assert.True(worstNormal < 1e-3, $"worst normal error {worstNormal:E2}");
    }

    [Fact]
    public void A_known_penetration_gives_MuJoCos_soft_normal_force_pushing_the_bodies_apart()
    {
        var plant = new HandPlant(TwoFingers(contacts: true));
        // Analytic body_invweight0 of a link hanging from a 3-axis pivot: the CoM moves across the link only, 1/(m + I/L^2) each way.
        double invWeight = 2.0 / 3 * Com * Com / (Mass * Com * Com + Inertia);
        Assert.Equal(invWeight, plant.Contacts.InverseWeights[1], 4);
        // MuJoCo: K = 1/(dmax^2 tc^2 dr^2), the force d^2 K/((1 - d) A) per metre past the margin, A = both bodies' invweight0.
        double d = 0.8, k = d * d / (d * d * 0.02 * 0.02) / ((1 - d) * 2 * invWeight);
        Assert.Equal(k, plant.Contacts.PairStiffness[0], k * 1e-5);

        // Twist A towards B until the capsules overlap by 1 mm.
        double twist = Bisect(theta => Distance(theta) + 0.001, 0, 0.5);
        var w = new StepKernel<Lane1>.Workspace(plant);
        w.Q[2] = new Lane1((float)twist);
        StepKernel<Lane1>.ForwardKinematics(plant, w);
        ContactKernel<Lane1>.Apply(plant, w, new Lane1(0.002f));

        double distance = Distance(twist);
        (V3 onA, V3 onB) = ClosestPoints(twist);
        V3 n = (onB - onA).Normalized();
        V3 point = onA + n * (Radius + distance / 2);
        double force = k * (0.001 - distance);
        double torqueA = -(point - new V3(-Spacing, 0, 0)).Cross(n).Z * force;
        double torqueB = (point - new V3(Spacing, 0, 0)).Cross(n).Z * force;
        output.WriteLine($"overlap {-distance * 1e3:F3} mm: force {force:F3} N, twist torques A {w.ContactForce[2].V:E4} (expected {torqueA:E4}), B {w.ContactForce[5].V:E4} (expected {torqueB:E4})");
        Assert.True(w.ContactForce[2].V < 0 && w.ContactForce[5].V > 0, "the contact must push A back and B away");
        Assert.Equal(torqueA, w.ContactForce[2].V, Math.Abs(torqueA) * 2e-3);
        Assert.Equal(torqueB, w.ContactForce[5].V, Math.Abs(torqueB) * 2e-3);

        // Beyond the margin nothing pushes.
        w.Q[2] = new Lane1(0);
        StepKernel<Lane1>.ForwardKinematics(plant, w);
        ContactKernel<Lane1>.Apply(plant, w, new Lane1(0.002f));
        Assert.Equal(0f, w.ContactForce[2].V);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_finger_pushed_into_its_neighbour_moves_it_only_with_contacts(bool contacts)
    {
        foreach (LaneWidth width in new[] { LaneWidth.Wide8, LaneWidth.Scalar })
        {
            var batch = new HandBatch(new HandPlant(TwoFingers(contacts)), 8, width: width);
            batch.ExternalForces(2).Fill(0.002f); // twists A's tip towards B: 0.05 N at 4 cm
            double deepest = double.PositiveInfinity;
            for (int step = 0; step < 25; step++)
            {
                batch.Step();
                Assert.True(batch.AllFinite());
                deepest = Math.Min(deepest, Distance(batch.Angle(0, 2), batch.Angle(0, 5)));
            }
            float pushed = batch.Angle(0, 5);
            output.WriteLine($"contacts {contacts}, {width}: A twist {batch.Angle(0, 2):F3} rad, B twist {pushed:F3} rad, deepest overlap {-deepest * 1e3:F2} mm");
            if (contacts)
            {
                Assert.True(pushed > 0.05, $"B twisted only {pushed:F3} rad");
                Assert.True(deepest > -0.003, $"the capsules overlapped by {-deepest * 1e3:F2} mm");
            }
            else
            {
                Assert.Equal(0f, pushed);
                Assert.True(deepest < -0.01, "without contacts A passes through B");
            }
        }
    }

    [Fact]
    public void Holding_the_contacts_over_a_control_step_follows_finding_them_at_every_substep()
    {
        // bench's clench: every muscle at a random constant excitation, so neighbouring fingers close onto each other.
        HandPlant plant = Muscles.DefaultHand.Plant;
        HandBatch Clench(bool hold, float nudge = 0, int substeps = 10)
        {
            var settings = new SimulationSettings { HoldContacts = hold, TimeStep = 0.02f / substeps, Substeps = substeps };
            var batch = new HandBatch(plant, 16, settings, LaneWidth.Wide8);
            var rng = new Random(17);
            for (int m = 0; m < batch.MuscleCount; m++)
            {
                Span<float> u = batch.Excitations(m);
                for (int a = 0; a < u.Length; a++)
                {
                    u[a] = (float)rng.NextDouble() + nudge;
                }
            }
            return batch;
        }
        // The reference's own sensitivity: every excitation nudged by 1e-4, and the physics step halved. A clench can end
        // in a different place at half the step (with the twist and play an earlier model had, 2 of these 16 did: a thumb
        // squeezed past a finger or not, 70 deg apart); the settled comparison covers the hands the step does not decide.
        HandBatch held = Clench(hold: true), found = Clench(hold: false), nudged = Clench(hold: false, nudge: 1e-4f), fine = Clench(hold: false, substeps: 20);
        double heldSum = 0, nudgedSum = 0, nudgedEnd = 0;
        int count = 0;
        // 3 s: clenched fingers can still be creeping against each other at 1.5 s.
        for (int step = 0; step < 150; step++)
        {
            held.Step();
            found.Step();
            nudged.Step();
            fine.Step();
            for (int a = 0; a < held.AgentCount; a++)
            {
                for (int d = 0; d < held.DofCount; d++)
                {
                    double heldGap = Math.Abs(held.Angle(a, d) - found.Angle(a, d)) * 180 / Math.PI;
                    double nudgedGap = Math.Abs(nudged.Angle(a, d) - found.Angle(a, d)) * 180 / Math.PI;
                    heldSum += heldGap;
                    nudgedSum += nudgedGap;
                    count++;
                    if (step == 149)
                    {
                        nudgedEnd = Math.Max(nudgedEnd, nudgedGap);
                    }
                }
            }
        }
        double EndGap(HandBatch batch, int a) => Enumerable.Range(0, batch.DofCount).Max(d => Math.Abs(batch.Angle(a, d) - found.Angle(a, d)) * 180 / Math.PI);
        int[] settled = Enumerable.Range(0, held.AgentCount).Where(a => EndGap(fine, a) < 2).ToArray();
        double heldEnd = settled.Max(a => EndGap(held, a));
        Assert.True(held.AllFinite());
        output.WriteLine($"16 clenching hands over 3 s against contacts found at every substep: held mean {heldSum / count:F3} deg; the reference nudged by " +
            $"1e-4 excitation: mean {nudgedSum / count:F3} deg, worst at the end {nudgedEnd:F2} deg; at half the step {16 - settled.Length} hands end more than 2 deg " +
            $"away (worst {Enumerable.Range(0, 16).Max(a => EndGap(fine, a)):F1} deg); on the other {settled.Length} the held contacts end at most {heldEnd:F2} deg away " +
            $"(worst over all 16: {Enumerable.Range(0, 16).Max(a => EndGap(held, a)):F2} deg)");
        Assert.True(heldSum / count < 0.5, $"mean joint-angle gap {heldSum / count:F3} deg");
        Assert.True(settled.Length >= 12, $"only {settled.Length} of 16 hands end within 2 deg at half the step");
        Assert.True(heldEnd < Math.Max(2, 2 * nudgedEnd), $"worst joint-angle gap once settled {heldEnd:F2} deg (nudged reference {nudgedEnd:F2})");
    }

    private static V3 End(double pivotX, double twist, double down) =>
        new(pivotX + down * Math.Sin(twist), -down * Math.Cos(twist), 0);

    private static (V3, V3) ClosestPoints(double twistA, double twistB = 0)
    {
        SegmentDistance.Closest(End(-Spacing, twistA, 0.01), End(-Spacing, twistA, 0.04), End(Spacing, twistB, 0.01), End(Spacing, twistB, 0.04), out V3 a, out V3 b);
        return (a, b);
    }

    private static double Distance(double twistA, double twistB = 0) =>
        SegmentDistance.Capsules(End(-Spacing, twistA, 0.01), End(-Spacing, twistA, 0.04), Radius, End(Spacing, twistB, 0.01), End(Spacing, twistB, 0.04), Radius);

    private static double Bisect(Func<double, double> f, double lo, double hi)
    {
        for (int i = 0; i < 80; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (f(lo) * f(mid) <= 0) { hi = mid; } else { lo = mid; }
        }
        return 0.5 * (lo + hi);
    }

    private static V3 RandomUnit(Random rng)
    {
        while (true)
        {
            var v = new V3(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1);
            double n = v.Norm();
            if (n > 0.1 && n <= 1) { return v / n; }
        }
    }

    private static Vec3<Lane8> Pack(V3[] v) => new(
        new Lane8(Vector256.Create(v.Select(x => (float)x.X).ToArray())),
        new Lane8(Vector256.Create(v.Select(x => (float)x.Y).ToArray())),
        new Lane8(Vector256.Create(v.Select(x => (float)x.Z).ToArray())));
}
