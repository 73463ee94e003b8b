using System.Text.Json;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.ModelFormats.Import;
using MsMano.TestSupport;
using Xunit.Abstractions;

namespace MsMano.Biomechanics.Tests.Kinematics;

public sealed class MusclePathGeometryTests(ITestOutputHelper output)
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly MusclePathGeometry Geometry = new(Model);

    [Fact]
    public void Moment_arms_equal_minus_the_length_gradient()
    {
        var rng = new Random(5);
        double[] q = HandKinematicsTests.RandomAngles(rng, Model, margin: 1e-3);
        MuscleGeometry g = Geometry.Evaluate(q);
        const double h = 1e-6;
        double worst = 0;
        for (int d = 0; d < HandModel.DofCount; d++)
        {
            double[] qp = (double[])q.Clone();
            double[] qm = (double[])q.Clone();
            qp[d] += h;
            qm[d] -= h;
            double[] lp = Geometry.Evaluate(qp).Lengths, lm = Geometry.Evaluate(qm).Lengths;
            for (int m = 0; m < Model.Muscles.Length; m++)
            {
                double fd = -(lp[m] - lm[m]) / (2 * h);
                worst = Math.Max(worst, Math.Abs(fd - g.MomentArms[m, d]));
            }
        }
        Assert.True(worst < 1e-8, $"largest |r + dL/dq| = {worst}");
    }

    [Fact]
    public void Wrist_muscles_have_no_finger_moment_arms()
    {
        MuscleGeometry g = Geometry.Evaluate(new double[HandModel.DofCount]);
        for (int m = 0; m < Model.Muscles.Length; m++)
        {
            if (Model.Muscles[m].Group != MuscleGroup.Wrist)
            {
                continue;
            }
            for (int d = 0; d < HandModel.DofCount; d++)
            {
                Assert.Equal(0, g.MomentArms[m, d]);
            }
        }
    }

    /// <summary>
    /// At rest, for every (finger muscle, finger/thumb hinge) pair MuJoCo reports, -(our moment arm about the matching
    /// anatomical axis, sign-corrected for the flipped thumb axes) has MuJoCo's dL/dq sign; joints MuJoCo says a muscle
    /// does not cross get no moment arm on any axis.
    /// </summary>
    /// <summary>
    /// Every tendon's length at rest (MyoHand's qpos0) equals MuJoCo's compiled length0: via points, outside wraps and
    /// inside wraps (the forearm torus spheres, MPthumb for FPL, the 4th MCP cylinder for FDP4, EDM's cylinder) alike.
    /// Without the inside wrap FDP4 is 12 mm short and EDM 5 mm long; with a 2-D side test RI2 would lose 5.5 mm.
    /// </summary>
    [Fact]
    public void Rest_lengths_equal_MuJoCos_length0()
    {
        var compiled = CompiledReference.Load();
        MuscleGeometry g = Geometry.Evaluate(new double[HandModel.DofCount]);
        var failures = new List<string>();
        int compared = 0;
        foreach (JsonElement tendon in compiled.Items("tendons"))
        {
            string name = tendon.GetProperty("name").GetString()!.Replace("_tendon", "", StringComparison.Ordinal);
            int m = Array.FindIndex(Model.Muscles, x => x.Name == name);
            Assert.True(m >= 0, $"MuJoCo tendon {name} has no muscle in the model");
            double mujoco = tendon.GetProperty("length0").GetDouble();
            compared++;
            if (Math.Abs(g.Lengths[m] - mujoco) > 2e-6)
            {
                failures.Add($"{name}: ours {g.Lengths[m] * 1000:F3} mm, MuJoCo {mujoco * 1000:F3} mm");
            }
        }
        Assert.Equal(Model.Muscles.Length, compared);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Rest_moment_arm_signs_match_MuJoCo()
    {
        var compiled = CompiledReference.Load();
        MuscleGeometry g = Geometry.Evaluate(new double[HandModel.DofCount]);
        var errors = new List<double>();
        var labelled = new List<(double Error, string Pair)>();
        var mismatches = new List<string>();
        int pairs = 0;
        foreach (JsonElement act in compiled.Items("actuators"))
        {
            string name = act.GetProperty("name").GetString()!;
            int m = Array.FindIndex(Model.Muscles, x => x.Name == name);
            if (Model.Muscles[m].Group == MuscleGroup.Wrist)
            {
                continue;
            }
            var crossed = new HashSet<int>();
            foreach (JsonProperty dof in act.GetProperty("dLdq_qpos0").EnumerateObject())
            {
                (int Joint, int Axis, int Sign)? mapped = MyoHandMapping.DofOf(dof.Name);
                if (mapped is null)
                {
                    continue;
                }
                (int joint, int axis, int sign) = mapped.Value;
                crossed.Add(joint);
                double mujoco = dof.Value.GetDouble();
                double ours = -sign * g.MomentArms[m, (joint - 1) * 3 + axis];
                pairs++;
                errors.Add(Math.Abs(ours - mujoco) * 1000);
                labelled.Add((Math.Abs(ours - mujoco) * 1000, $"{name}/{dof.Name}: ours {ours * 1000:F3} vs MuJoCo {mujoco * 1000:F3} mm"));
                if (Math.Sign(ours) != Math.Sign(mujoco))
                {
                    mismatches.Add($"{name}/{dof.Name}: ours {ours * 1000:F3} mm vs MuJoCo {mujoco * 1000:F3} mm");
                }
            }
            for (int j = 1; j < HandModel.JointCount; j++)
            {
                if (crossed.Contains(j))
                {
                    continue;
                }
                for (int a = 0; a < 3; a++)
                {
                    Assert.True(Math.Abs(g.MomentArms[m, (j - 1) * 3 + a]) < 1e-9, $"{name} has a moment arm on joint {j} axis {a}, which MuJoCo says it does not cross");
                }
            }
        }
        errors.Sort();
        double median = errors.Count % 2 == 1 ? errors[errors.Count / 2] : 0.5 * (errors[errors.Count / 2 - 1] + errors[errors.Count / 2]);
        output.WriteLine($"pairs {pairs}, sign matches {pairs - mismatches.Count}, |error| median {median:F3} mm, max {errors[^1]:F3} mm");
        foreach ((double _, string pair) in labelled.OrderByDescending(x => x.Error).Take(5))
        {
            output.WriteLine("largest error " + pair);
        }
        foreach (string s in mismatches)
        {
            output.WriteLine("mismatch " + s);
        }
        Assert.True(pairs >= 99, $"only {pairs} pairs compared");
        Assert.Empty(mismatches);
    }
}
