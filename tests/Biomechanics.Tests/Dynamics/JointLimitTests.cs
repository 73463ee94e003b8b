using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using Xunit;
using Xunit.Abstractions;

namespace MsMano.Biomechanics.Tests.Dynamics;

/// <summary>
/// The joint limit as MuJoCo's constraint row, f = (aref − a)/R ≥ 0 with R = (1 − d)/d·dof_invweight0: it stops all but
/// 1 − d of a push at once, never pulls a joint that is leaving it, and settles under a steady load where its spring says.
/// </summary>
public sealed class JointLimitTests(ITestOutputHelper output)
{
    private const double Impedance = 0.95; // MuJoCo's default solimp dmax, which MyoHand keeps

    /// <summary>The three-joint chain with the first flexion hinge's lower (or upper) limit at 0, or wide open.</summary>
    private static HandPlant ChainAtLimit(bool lower, bool limited = true)
    {
        HandModel model = TestModels.Chain([0, 0, 0]);
        JointSpec first = model.Joints[1];
        model.Joints[1] = first with
        {
            LowerLimit = [lower && limited ? 0 : -3, -3, -3],
            UpperLimit = [!lower && limited ? 0 : 3, 3, 3],
        };
        return new HandPlant(model);
    }

    /// <summary>
    /// One 1 ms substep from rest with dof 0 a micro-radian past its limit (the rest pose, where the row's A is
    /// dof_invweight0) under a torque on dof 0; returns each lane's acceleration of dof 0.
    /// </summary>
    private static double[] Acceleration(HandPlant plant, float torque, LaneWidth width, bool lower)
    {
        var batch = new HandBatch(plant, 8, new SimulationSettings { TimeStep = 0.001f, Substeps = 1 }, width);
        batch.MusclesApplied = false;
        float[] angles = new float[plant.DofCount];
        angles[0] = lower ? -1e-6f : 1e-6f;
        for (int a = 0; a < 8; a++)
        {
            batch.SetState(a, angles, new float[plant.DofCount]);
        }
        batch.ExternalForces(0).Fill(torque);
        batch.Step();
        return Enumerable.Range(0, 8).Select(a => batch.Velocity(a, 0) / 0.001).ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_push_into_the_limit_gets_through_only_one_minus_d_of_it(bool lower)
    {
        // At the rest pose the row's A is dof_invweight0 itself, so MuJoCo's a = R·a0/(A + R) is exactly (1 − d)·a0.
        float torque = lower ? -1e-3f : 1e-3f;
        foreach (LaneWidth width in new[] { LaneWidth.Wide8, LaneWidth.Scalar })
        {
            double free = Acceleration(ChainAtLimit(lower, limited: false), torque, width, lower)[0];
            double[] held = Acceleration(ChainAtLimit(lower), torque, width, lower);
            double ratio = held[0] / free;
            output.WriteLine($"{width} {(lower ? "lower" : "upper")}: free {free:F2} rad/s², at the limit {held[0]:F4} rad/s², ratio {ratio:F4} (1 - d = {1 - Impedance:F2})");
            Assert.Equal(1 - Impedance, ratio, 3e-3);
            Assert.All(held, a => Assert.Equal(held[0], a, 1e-6));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_joint_pulled_back_into_range_is_not_held_by_its_limit(bool lower)
    {
        // The row could only pull here (f < 0), so MuJoCo drops it and the joint leaves at its free acceleration.
        float torque = lower ? 1e-3f : -1e-3f;
        foreach (LaneWidth width in new[] { LaneWidth.Wide8, LaneWidth.Scalar })
        {
            double free = Acceleration(ChainAtLimit(lower, limited: false), torque, width, lower)[0];
            double leaving = Acceleration(ChainAtLimit(lower), torque, width, lower)[0];
            output.WriteLine($"{width} {(lower ? "lower" : "upper")}: free {free:F3} rad/s², leaving the limit {leaving:F3} rad/s²");
            Assert.Equal(free, leaving, Math.Abs(free) * 1e-3);
        }
    }

    [Fact]
    public void Two_joints_of_a_finger_pulled_back_into_range_together_are_both_released()
    {
        // Two rows released at once take the k x k path of the release (Woodbury over the factored block).
        HandModel open = TestModels.Chain([0, 0, 0]);
        HandModel limited = open with { Joints = [.. open.Joints] };
        limited.Joints[1] = limited.Joints[1] with { LowerLimit = [0, -3, -3] };
        limited.Joints[2] = limited.Joints[2] with { UpperLimit = [0, 3, 3] };
        foreach (LaneWidth width in new[] { LaneWidth.Wide8, LaneWidth.Scalar })
        {
            double[][] accelerations = new[] { new HandPlant(open), new HandPlant(limited) }.Select(plant =>
            {
                var batch = new HandBatch(plant, 8, new SimulationSettings { TimeStep = 0.001f, Substeps = 1 }, width);
                batch.MusclesApplied = false;
                float[] angles = new float[plant.DofCount];
                angles[0] = -1e-6f;
                angles[3] = 1e-6f;
                for (int a = 0; a < 8; a++)
                {
                    batch.SetState(a, angles, new float[plant.DofCount]);
                }
                batch.ExternalForces(0).Fill(1e-3f);
                batch.ExternalForces(3).Fill(-1e-3f);
                batch.Step();
                return new[] { batch.Velocity(0, 0) / 0.001, batch.Velocity(0, 3) / 0.001 };
            }).ToArray();
            output.WriteLine($"{width}: free {accelerations[0][0]:F3}, {accelerations[0][1]:F3} rad/s²; leaving both limits {accelerations[1][0]:F3}, {accelerations[1][1]:F3}");
            Assert.Equal(accelerations[0][0], accelerations[1][0], Math.Abs(accelerations[0][0]) * 1e-3);
            Assert.Equal(accelerations[0][1], accelerations[1][1], Math.Abs(accelerations[0][1]) * 1e-3);
        }
    }

    [Fact]
    public void Under_a_steady_torque_the_limit_settles_where_its_spring_says()
    {
        HandPlant plant = ChainAtLimit(lower: true);
        var batch = new HandBatch(plant, 8, new SimulationSettings(), LaneWidth.Wide8);
        batch.MusclesApplied = false;
        const float torque = -2e-3f;
        batch.ExternalForces(0).Fill(torque);
        for (int step = 0; step < 100; step++)
        {
            batch.Step(); // 2 s
        }
        // At rest the row's force is aref/R alone: its spring k·r (k = d·K/((1 − d)·invweight0)) balances the torque.
        double expected = torque / plant.LimitStiffness[0];
        double got = batch.Angle(0, 0) - plant.LowerLimits[0];
        output.WriteLine($"settled {got * 1e3:F4} mrad past the limit; spring law {expected * 1e3:F4} mrad; velocity {batch.Velocity(0, 0):E2}");
        Assert.Equal(expected, got, Math.Abs(expected) * 0.01);
    }

    [Fact]
    public void A_given_dof_invweight0_sets_the_limit_and_a_missing_one_is_the_hands_own()
    {
        HandModel model = TestModels.Chain([0, 0, 0]);
        HandPlant own = new(model);
        model.Joints[1] = model.Joints[1] with { InverseWeight = [1234.5, 0, 0] };
        HandPlant given = new(model);
        // Spring d·K/((1 − d)·invweight0): a quarter of the stiffness for four times the invweight.
        double kImpedance = 1 / (Impedance * 0.02 * 0.02);
        Assert.Equal(kImpedance * Impedance / ((1 - Impedance) * 1234.5), given.LimitStiffness[0], given.LimitStiffness[0] * 1e-6);
        Assert.Equal(own.LimitStiffness[1], given.LimitStiffness[1]);
        output.WriteLine($"limit stiffness of dof 0: {own.LimitStiffness[0]:F4} N m/rad from the chain, {given.LimitStiffness[0]:F4} from invweight0 1234.5");
    }
}
