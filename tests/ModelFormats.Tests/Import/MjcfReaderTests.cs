using System.Text.Json;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.ModelFormats.Import;
using MsMano.TestSupport;

namespace MsMano.ModelFormats.Tests.Import;

public sealed class MjcfReaderTests
{
    private static readonly Lazy<MjcfModel> MyoHand = new(() => MjcfReader.Load(MyoHandFiles.Xml));

    [Fact]
    public void Body_world_positions_and_orientations_match_MuJoCo()
    {
        var compiled = CompiledReference.Load();
        int count = 0;
        foreach (JsonElement b in compiled.Items("bodies"))
        {
            string name = b.GetProperty("name").GetString()!;
            MjcfBody body = MyoHand.Value.Body(name);
            AssertClose(CompiledReference.Vector(b, "xpos0"), body.WorldPosition.ToArray(), 1e-6, $"body {name} xpos0");
            double[] q = CompiledReference.Vector(b, "xquat0");
            Quat mine = body.WorldOrientation;
            double dot = Math.Abs(q[0] * mine.W + q[1] * mine.X + q[2] * mine.Y + q[3] * mine.Z);
            Assert.True(dot > 1 - 1e-9, $"body {name} xquat0 differs: {string.Join(", ", q)} vs {mine}");
            count++;
        }
        Assert.Equal(39, count);
        Assert.Equal(39, MyoHand.Value.Bodies.Count);
    }

    [Fact]
    public void Site_world_positions_match_MuJoCo()
    {
        var compiled = CompiledReference.Load();
        foreach (JsonElement s in compiled.Items("sites"))
        {
            string name = s.GetProperty("name").GetString()!;
            AssertClose(CompiledReference.Vector(s, "xpos0"), MyoHand.Value.Site(name).WorldPosition.ToArray(), 1e-6, $"site {name}");
        }
        Assert.Equal(compiled.Root.GetProperty("counts").GetProperty("nsite").GetInt32(), MyoHand.Value.Sites.Count);
    }

    [Fact]
    public void Joint_anchors_axes_ranges_and_damping_match_MuJoCo()
    {
        var compiled = CompiledReference.Load();
        foreach (JsonElement j in compiled.Items("joints"))
        {
            string name = j.GetProperty("name").GetString()!;
            MjcfJoint joint = MyoHand.Value.Joint(name);
            AssertClose(CompiledReference.Vector(j, "xanchor0"), joint.WorldAnchor.ToArray(), 1e-6, $"joint {name} anchor");
            AssertClose(CompiledReference.Vector(j, "xaxis0"), joint.WorldAxis.ToArray(), 1e-6, $"joint {name} axis");
            AssertClose(CompiledReference.Vector(j, "range_rad"), joint.Range, 1e-12, $"joint {name} range");
            Assert.Equal(j.GetProperty("damping").GetDouble(), joint.Damping, 12);
            Assert.Equal(j.GetProperty("armature").GetDouble(), joint.Armature, 12);
        }
        Assert.Equal(23, MyoHand.Value.Joints.Count);
    }

    [Fact]
    public void Masses_and_principal_inertias_match_MuJoCo_where_no_mesh_is_involved()
    {
        var compiled = CompiledReference.Load();
        // full_body and capitate take their mass from meshes only; lunate mostly from its primitive wrap geoms.
        string[] meshBodies = ["full_body", "capitate", "lunate", "world"];
        foreach (JsonElement b in compiled.Items("bodies"))
        {
            string name = b.GetProperty("name").GetString()!;
            if (meshBodies.Contains(name))
            {
                continue;
            }
            MjcfBody body = MyoHand.Value.Body(name);
            Assert.Equal(b.GetProperty("mass").GetDouble(), body.Inertial.Mass, 9);
            if (body.Inertial.Source != MjcfInertialSource.BoundsOnly)
            {
                // MuJoCo reports an arbitrary ipos for bodies with no mass source of their own.
                AssertClose(CompiledReference.Vector(b, "ipos"), body.Inertial.CenterOfMass.ToArray(), 1e-9, $"body {name} ipos");
            }
            double[] expected = CompiledReference.Vector(b, "inertia").OrderBy(x => x).ToArray();
            Vec3 values = body.Inertial.Inertia.SymmetricEigen().Values;
            double[] mine = new[] { values.X, values.Y, values.Z }.OrderBy(x => x).ToArray();
            AssertClose(expected, mine, 1e-8, $"body {name} principal inertia");
        }
        MjcfBody lunate = MyoHand.Value.Body("lunate");
        Assert.Equal(MjcfInertialSource.PrimitiveGeoms, lunate.Inertial.Source);
        // MuJoCo: 0.163758 kg including ~0.001 kg of bone mesh that is not shipped.
        Assert.InRange(lunate.Inertial.Mass, 0.160, 0.16376);
    }

    [Fact]
    public void Muscles_carry_forces_length_ranges_and_MuJoCo_defaults()
    {
        var compiled = CompiledReference.Load();
        JsonElement[] actuators = compiled.Items("actuators").ToArray();
        Assert.Equal(actuators.Length, MyoHand.Value.Muscles.Count);
        for (int i = 0; i < actuators.Length; i++)
        {
            MjcfMuscle m = MyoHand.Value.Muscles[i];
            double[] gain = CompiledReference.Vector(actuators[i], "gainprm");
            double[] dyn = CompiledReference.Vector(actuators[i], "dynprm");
            Assert.Equal(actuators[i].GetProperty("name").GetString(), m.Name);
            Assert.Equal(new[] { gain[0], gain[1] }, m.Range);
            Assert.Equal(gain[2], m.Force);
            Assert.Equal(new[] { gain[4], gain[5], gain[6], gain[7], gain[8] }, new[] { m.LMin, m.LMax, m.VMax, m.FpMax, m.FvMax });
            Assert.Equal(new[] { dyn[0], dyn[1] }, m.TimeConst);
            Assert.Equal(CompiledReference.Vector(actuators[i], "lengthrange"), m.LengthRange);
        }
    }

    [Fact]
    public void Tendon_paths_match_MuJoCo()
    {
        var compiled = CompiledReference.Load();
        foreach (JsonElement t in compiled.Items("tendons"))
        {
            MjcfTendon tendon = MyoHand.Value.Tendon(t.GetProperty("name").GetString()!);
            string[] expected = t.GetProperty("path").EnumerateArray()
                .Select(p => p.TryGetProperty("site", out JsonElement s) ? "s:" + s.GetString() : "g:" + p.GetProperty("geom").GetString())
                .ToArray();
            string[] mine = tendon.Path.Select(p => (p.Kind == MjcfPathKind.Site ? "s:" : "g:") + p.Name).ToArray();
            Assert.Equal(expected, mine);
        }
    }

    [Fact]
    public void Defaults_childclass_includes_and_euler_are_applied()
    {
        using var dir = new TempDir();
        dir.Write("parts/defaults.xml", """
            <mujocoinclude>
              <compiler angle="degree"/>
              <default>
                <default class="a"><joint damping="0.3" range="-10 20"/><site pos="0 0 1"/></default>
                <default class="m"><muscle lmin="0.4" range="0.7 1.1"/></default>
              </default>
            </mujocoinclude>
            """);
        dir.Write("parts/body.xml", """
            <mujocoinclude>
              <body name="b1" pos="1 0 0" euler="0 0 90" childclass="a">
                <joint name="j1" axis="1 0 0"/>
                <site name="s1"/>
                <site name="s2" pos="0 1 0"/>
                <body name="b2" pos="0 1 0" axisangle="0 0 1 90">
                  <inertial pos="0 0 0" mass="2" diaginertia="1 2 3"/>
                  <joint name="j2" class="main" damping="0.1"/>
                  <site name="s3" pos="1 0 0"/>
                </body>
              </body>
            </mujocoinclude>
            """);
        dir.Write("model.xml", """
            <mujoco model="t">
              <include file="parts/defaults.xml"/>
              <include file="missing_scene.xml"/>
              <worldbody><include file="parts/body.xml"/></worldbody>
              <tendon><spatial name="t1"><site site="s1"/><site site="s3"/></spatial></tendon>
              <actuator><muscle name="m1" class="m" tendon="t1" force="10" lengthrange="0.1 0.2" lmax="1.7"/></actuator>
            </mujoco>
            """);
        MjcfModel model = MjcfReader.Load(dir.File("model.xml"));
        Assert.Single(model.MissingIncludes);
        MjcfJoint j1 = model.Joint("j1");
        Assert.Equal(0.3, j1.Damping);
        Assert.Equal(-10 * Math.PI / 180, j1.Range[0], 12);
        Assert.True(j1.Limited);
        Assert.Equal(0.1, model.Joint("j2").Damping);
        Assert.False(model.Joint("j2").Limited);
        // b1 rotated 90 deg about z: its local +y is world -x; s1 takes the class default pos (0 0 1).
        AssertClose([1, 0, 1], model.Site("s1").WorldPosition.ToArray(), 1e-12, "s1");
        AssertClose([0, 0, 0], model.Site("s2").WorldPosition.ToArray(), 1e-12, "s2");
        // b2 at b1 + Rz(90)(0,1,0) = (0,0,0), total rotation 180 deg: local +x is world -x.
        AssertClose([-1, 0, 0], model.Site("s3").WorldPosition.ToArray(), 1e-12, "s3");
        Assert.Equal(2, model.Body("b2").Inertial.Mass);
        MjcfMuscle m1 = Assert.Single(model.Muscles);
        Assert.Equal(0.4, m1.LMin);
        Assert.Equal(1.7, m1.LMax);
        Assert.Equal(new[] { 0.7, 1.1 }, m1.Range);
        Assert.Equal(1.5, m1.VMax);
        Assert.Equal(new[] { 0.01, 0.04 }, m1.TimeConst);
    }

    [Fact]
    public void Bad_number_names_file_element_attribute_and_value()
    {
        using var dir = new TempDir();
        dir.Write("bad.xml", """
            <mujoco>
              <worldbody>
                <body name="b" pos="0 zero 0"/>
              </worldbody>
            </mujoco>
            """);
        MjcfException ex = Assert.Throws<MjcfException>(() => MjcfReader.Load(dir.File("bad.xml")));
        Assert.Contains("bad.xml:3", ex.Message);
        Assert.Contains("<body name=\"b\" pos>", ex.Message);
        Assert.Contains("\"0 zero 0\"", ex.Message);
    }

    [Fact]
    public void Unknown_path_site_and_unsupported_actuator_are_errors()
    {
        using var dir = new TempDir();
        dir.Write("a.xml", """
            <mujoco>
              <worldbody><body name="b"><site name="s1"/></body></worldbody>
              <tendon><spatial name="t"><site site="s1"/><site site="nope"/></spatial></tendon>
            </mujoco>
            """);
        MjcfException ex = Assert.Throws<MjcfException>(() => MjcfReader.Load(dir.File("a.xml")));
        Assert.Contains("nope", ex.Message);
        dir.Write("b.xml", """
            <mujoco>
              <worldbody><body name="b"><joint name="j"/></body></worldbody>
              <actuator><motor name="m" joint="j"/></actuator>
            </mujoco>
            """);
        ex = Assert.Throws<MjcfException>(() => MjcfReader.Load(dir.File("b.xml")));
        Assert.Contains("<motor", ex.Message);
    }

    internal static void AssertClose(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol})");
        }
    }
}
