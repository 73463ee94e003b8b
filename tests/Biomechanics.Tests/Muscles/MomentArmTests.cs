using System.Text.Json;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.TestSupport;
using Xunit.Abstractions;

namespace MsMano.Biomechanics.Tests.Muscles;

/// <summary>
/// The simulator's moment arms at the rest pose against MuJoCo's compiled MyoHand (third_party/myohand/compiled). The kernel
/// reports the Eq. 1 torque projected on our three anatomical axes; the test rebuilds the torque 3-vector from them
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
                float[] frame = HandPlant.QuaternionToColumns(plant.Model.Joints[j].Frame, joint);
                double[] torque = new double[3];
                for (int k = 0; k < 3; k++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        torque[c] += arms[plant.DofOf(j, k)] * frame[3 * k + c];
                    }
                }
                double[] axis = axes[entry.Name];
                // dL/dq = -(moment arm about MyoHand's hinge axis).
                double ours = -(torque[0] * axis[0] + torque[1] * axis[1] + torque[2] * axis[2]);
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
