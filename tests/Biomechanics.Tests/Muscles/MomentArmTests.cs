using System.Text.Json;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.TestSupport;
using Xunit.Abstractions;

namespace MsMano.Biomechanics.Tests.Muscles;

/// <summary>
/// The simulator's moment arms at the rest pose against MuJoCo's compiled MyoHand (third_party/myohand/compiled). The kernel
/// reports the Eq. 1 torque projected on our three dof axes; the test rebuilds the torque 3-vector from them
/// and projects it on MyoHand's own hinge axis, so the comparison does not depend on how our axes were chosen.
/// </summary>
public sealed class MomentArmTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> s_myoToMano = new()
    {
        ["mcp2_flexion"] = "index1", ["mcp2_abduction"] = "index1", ["pm2_flexion"] = "index2", ["md2_flexion"] = "index3",
        ["mcp3_flexion"] = "middle1", ["mcp3_abduction"] = "middle1", ["pm3_flexion"] = "middle2", ["md3_flexion"] = "middle3",
        ["mcp4_flexion"] = "ring1", ["mcp4_abduction"] = "ring1", ["pm4_flexion"] = "ring2", ["md4_flexion"] = "ring3",
        ["mcp5_flexion"] = "pinky1", ["mcp5_abduction"] = "pinky1", ["pm5_flexion"] = "pinky2", ["md5_flexion"] = "pinky3",
        ["cmc_abduction"] = "thumb1", ["cmc_flexion"] = "thumb1", ["mp_flexion"] = "thumb2", ["ip_flexion"] = "thumb3",
    };

    [Fact]
    public void Every_finger_muscle_moment_arm_sign_matches_MyoHand_at_rest()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(MyoHandFiles.CompiledJson));
        var axes = doc.RootElement.GetProperty("joints").EnumerateArray()
            .ToDictionary(j => j.GetProperty("name").GetString()!, j => j.GetProperty("axis_local").EnumerateArray().Select(v => v.GetDouble()).ToArray());

        HandPlant plant = DefaultHand.Plant;
        var batch = new HandBatch(plant, 1, width: LaneWidth.Scalar);
        float[] arms = new float[plant.DofCount];
        int compared = 0;
        var errors = new List<double>();
        var mismatches = new List<string>();
        foreach (JsonElement actuator in doc.RootElement.GetProperty("actuators").EnumerateArray())
        {
            string name = actuator.GetProperty("name").GetString()!;
            int m = plant.MuscleNames.ToList().IndexOf(name);
            foreach (JsonProperty entry in actuator.GetProperty("dLdq_qpos0").EnumerateObject())
            {
                if (!s_myoToMano.TryGetValue(entry.Name, out string? joint))
                {
                    continue;
                }
                double reference = entry.Value.GetDouble();
                Assert.True(m >= 0, $"{name} crosses {entry.Name} in MyoHand but is not simulated");
                batch.MomentArms(0, m, arms);
                int j = plant.JointIndex(joint);
                // The three dof axes at rest: flexion x, the abduction hinge A·u (not perpendicular to x at a skewed joint), twist z.
                Mat3 a = Quat.From(plant.Model.Joints[j].Frame).ToMatrix();
                Vec3 x = a.Column(0), u = a * Vec3.From(plant.Model.Joints[j].AbductionAxis), z = a.Column(2);
                // Each dof's arm is torque · its axis; Cramer's rule gives the torque back from the three.
                Vec3 torque = (1 / x.Dot(u.Cross(z))) * (arms[plant.DofOf(j, 0)] * u.Cross(z) + arms[plant.DofOf(j, 1)] * z.Cross(x) + arms[plant.DofOf(j, 2)] * x.Cross(u));
                // dL/dq = -(moment arm about MyoHand's hinge axis).
                double ours = -torque.Dot(Vec3.From(axes[entry.Name]));
                compared++;
                errors.Add(Math.Abs(ours - reference) * 1000);
                if (Math.Sign(ours) != Math.Sign(reference))
                {
                    mismatches.Add($"{name}/{entry.Name}: MuJoCo {reference * 1000:F3} mm, ours {ours * 1000:F3} mm");
                }
            }
        }
        errors.Sort();
        output.WriteLine($"{compared} pairs; |error| median {errors[errors.Count / 2]:F3} mm, 90th percentile {errors[(int)(0.9 * errors.Count)]:F3} mm, max {errors[^1]:F3} mm");
        Assert.Equal(99, compared);
        Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));
    }
}
