using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.ModelFormats.Import;
using MsMano.TestSupport;

namespace MsMano.ModelFormats.Tests.Import;

public sealed class MyoHandConverterTests
{
    internal static readonly Lazy<HandModel> Converted = new(() => MyoHandConverter.Convert(MyoHandFiles.Xml));

    private static string ShippedPath()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "src", "Biomechanics", "Data", "msmano-hand.json");
            if (File.Exists(Path.Combine(d.FullName, "src", "Biomechanics", "MsMano.Biomechanics.csproj")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("Repository root (src/Biomechanics) not found above the test directory.");
    }

    /// <summary>
    /// Regeneration is byte-identical to the shipped file. Set MSMANO_REGENERATE_MODEL=1 to (re)write the shipped
    /// file from the vendored MyoHand (third_party/myohand) instead of comparing.
    /// </summary>
    [Fact]
    public void Conversion_reproduces_the_shipped_file_byte_for_byte()
    {
        string text = HandModelFile.Serialize(Converted.Value);
        string shipped = ShippedPath();
        if (Environment.GetEnvironmentVariable("MSMANO_REGENERATE_MODEL") == "1")
        {
            HandModelFile.Save(Converted.Value, shipped);
        }
        Assert.True(File.Exists(shipped), $"{shipped} is missing; run with MSMANO_REGENERATE_MODEL=1.");
        Assert.Equal(File.ReadAllText(shipped), text);
        Assert.Equal(text, HandModelFile.Serialize(MyoHandConverter.Convert(MyoHandFiles.Xml)));
    }

    [Fact]
    public void Muscle_groups_follow_the_MyoHand_split()
    {
        MuscleSpec[] m = Converted.Value.Muscles;
        Assert.Equal(39, m.Length);
        Assert.All(m.Take(8), x => Assert.Equal(MuscleGroup.Wrist, x.Group));
        string[] extrinsic = ["FDS5", "FDS4", "FDS3", "FDS2", "FDP5", "FDP4", "FDP3", "FDP2", "EDC5", "EDC4", "EDC3", "EDC2", "EDM", "EIP", "EPL", "EPB", "FPL", "APL"];
        Assert.Equal(extrinsic, m.Where(x => x.Group == MuscleGroup.Extrinsic).Select(x => x.Name));
        Assert.Equal(13, m.Count(x => x.Group == MuscleGroup.Intrinsic));
        Assert.All(m.Where(x => x.Group == MuscleGroup.Intrinsic), x => Assert.True(x.Name == "OP" || x.Name.StartsWith("RI") || x.Name.StartsWith("LU_RB") || x.Name.StartsWith("UI_UB"), x.Name));
    }

    [Fact]
    public void Joint_centres_are_bone_origins_and_the_palm_centre_is_the_carpal_mean()
    {
        MjcfModel mjcf = MjcfReader.Load(MyoHandFiles.Xml);
        MjcfBody lunate = mjcf.Body("lunate");
        double[] Hand(string body)
        {
            Vec3 w = mjcf.Body(body).WorldPosition - lunate.WorldPosition;
            return lunate.WorldOrientation.Conjugate().Rotate(w).ToArray();
        }
        JointSpec[] j = Converted.Value.Joints;
        MjcfReaderTests.AssertClose(Hand("proxph2"), j[1].Position, 1e-12, "index1");
        MjcfReaderTests.AssertClose(Hand("distal_thumb"), j[15].Position, 1e-12, "thumb3");
        MjcfReaderTests.AssertClose(Hand("midph4"), j[11].Position, 1e-12, "ring2");
        string[] carpals = ["lunate", "scaphoid", "pisiform", "triquetrum", "capitate", "trapezium", "trapezoid", "hamate"];
        double[] mean = new double[3];
        foreach (string c in carpals)
        {
            double[] p = Hand(c);
            for (int k = 0; k < 3; k++)
            {
                mean[k] += p[k] / carpals.Length;
            }
        }
        MjcfReaderTests.AssertClose(mean, j[0].Position, 1e-12, "wrist");
        // MyoHand notes: index MCP -> PIP segment is 42.6 mm.
        double d = Math.Sqrt(Enumerable.Range(0, 3).Sum(k => Math.Pow(j[2].Position[k] - j[1].Position[k], 2)));
        Assert.Equal(0.0426, d, 4);
    }

    [Fact]
    public void Frames_are_positive_flexion_and_point_distally()
    {
        MjcfModel mjcf = MjcfReader.Load(MyoHandFiles.Xml);
        HandModel model = Converted.Value;
        // Thumb IP: the flexion axis is MyoHand's ip_flexion axis flipped (hand frame == body frame below the lunate).
        Vec3 ip = mjcf.Joint("ip_flexion").LocalAxis;
        double[] x = FrameColumn(model.Joints[15].Frame, 0);
        MjcfReaderTests.AssertClose((-1 * ip).ToArray(), x, 1e-12, "thumb3 x");
        Assert.Equal(-mjcf.Joint("ip_flexion").Range[1], model.Joints[15].LowerLimit[0], 12);
        // Index MCP keeps MyoHand's sign and range.
        MjcfReaderTests.AssertClose(mjcf.Joint("mcp2_flexion").LocalAxis.ToArray(), FrameColumn(model.Joints[1].Frame, 0), 1e-12, "index1 x");
        Assert.Equal(Math.PI / 2, model.Joints[1].UpperLimit[0], 4);
        for (int j = 1; j < 16; j++)
        {
            double[] z = FrameColumn(model.Joints[j].Frame, 2);
            Assert.True(z[1] < 0 || j >= 13, $"joint {j}: twist axis should point distally (-y), got ({z[0]}, {z[1]}, {z[2]})");
        }
    }

    [Fact]
    public void Thumb_cmc_and_index_mcp_keep_both_MyoHand_hinges_though_they_are_not_perpendicular()
    {
        MjcfModel mjcf = MjcfReader.Load(MyoHandFiles.Xml);
        HandModel model = Converted.Value;
        foreach ((int joint, string flexion, double flexionSign, string abduction) in new[] { (13, "cmc_abduction", -1.0, "cmc_flexion"), (1, "mcp2_flexion", 1.0, "mcp2_abduction") })
        {
            Mat3 a = Quat.From(model.Joints[joint].Frame).ToMatrix();
            Vec3 x = a.Column(0), u = a * Vec3.From(model.Joints[joint].AbductionAxis);
            MjcfReaderTests.AssertClose((flexionSign * mjcf.Joint(flexion).LocalAxis.Normalized()).ToArray(), x.ToArray(), 1e-12, $"{flexion} as flexion");
            MjcfReaderTests.AssertClose(mjcf.Joint(abduction).LocalAxis.Normalized().ToArray(), u.ToArray(), 1e-12, $"{abduction} as abduction");
        }
        // The thumb's two hinges are 99 deg apart (cmc_abduction flipped: 81 deg between x and u).
        Vec3 thumbX = Quat.From(model.Joints[13].Frame).ToMatrix().Column(0);
        Vec3 thumbU = Quat.From(model.Joints[13].Frame).ToMatrix() * Vec3.From(model.Joints[13].AbductionAxis);
        Assert.InRange(Math.Acos(thumbX.Dot(thumbU)) * 180 / Math.PI, 80, 82);
    }

    /// <summary>MuJoCo 3.14's dof_invweight0 of MyoHand (tools/myohand-reference/contact-check.mjs), wrist hinges in the tree.</summary>
    private static readonly Dictionary<string, double> MuJoCoDofInverseWeight = new()
    {
        ["cmc_abduction"] = 3536.3, ["cmc_flexion"] = 2740.2, ["mp_flexion"] = 5105.1, ["ip_flexion"] = 6066.2,
        ["mcp2_flexion"] = 3840.8, ["mcp2_abduction"] = 2741.1, ["pm2_flexion"] = 5363.5, ["md2_flexion"] = 6116.4,
        ["mcp3_flexion"] = 3844.9, ["mcp3_abduction"] = 2726.8, ["pm3_flexion"] = 5380.8, ["md3_flexion"] = 6132.8,
        ["mcp4_flexion"] = 3899.6, ["mcp4_abduction"] = 2696.9, ["pm4_flexion"] = 5358.8, ["md4_flexion"] = 6118.3,
        ["mcp5_flexion"] = 3946.6, ["mcp5_abduction"] = 2727.7, ["pm5_flexion"] = 5342.8, ["md5_flexion"] = 6056.2,
    };

    [Fact]
    public void Every_hinge_carries_MuJoCos_dof_invweight0_and_the_axes_MyoHand_lacks_none()
    {
        // The soft limit's scale: R = (1 - d)/d * dof_invweight0 over MyoHand's whole tree. Our fixed palm and locked axes
        // would give other values (an MCP abduction 1.35x with its locked twist left in, 0.90x without the wrist).
        HandModel model = Converted.Value;
        foreach ((string hinge, double mujoco) in MuJoCoDofInverseWeight)
        {
            (int joint, int axis, _) = MyoHandMapping.DofOf(hinge)!.Value;
            Assert.Equal(mujoco, model.Joints[joint].InverseWeight[axis], 0.06);
        }
        for (int j = 1; j < model.Joints.Length; j++)
        {
            Assert.Equal(0, model.Joints[j].InverseWeight[2]);
            Assert.Equal(model.Joints[j].UpperLimit[1] > model.Joints[j].LowerLimit[1], model.Joints[j].InverseWeight[1] > 0);
        }
    }

    [Fact]
    public void Ri_2_wraps_around_the_second_mcp_cylinder_on_its_side_sites_side()
    {
        MuscleSpec ri2 = Converted.Value.Muscles.Single(m => m.Name == "RI2");
        Assert.Equal(["RI2-P1", "RI2-P2", "RI2-P3"], ri2.Path.Select(p => p.Source));
        WrapSpec wrap = Assert.Single(ri2.Wraps);
        Assert.Equal(1, wrap.Segment);
        Assert.Equal(WrapKind.Cylinder, wrap.Kind);
        Assert.Equal(0, wrap.Joint);
        Assert.Equal(0.0065, wrap.Radius);
        Assert.Equal("2ndmcp_ellipsoid_wrap (side 2ndmcp_ellipsoid_site_RI2_side)", wrap.Source);
        // Centre: the geom's position on secondmc, expressed in the hand frame relative to the palm centre.
        MjcfModel mjcf = MjcfReader.Load(MyoHandFiles.Xml);
        MjcfBody lun = mjcf.Body("lunate");
        Vec3 g = lun.WorldOrientation.Conjugate().Rotate(mjcf.Geom("2ndmcp_ellipsoid_wrap").WorldPosition - lun.WorldPosition);
        double[] palm = Converted.Value.Joints[0].Position;
        MjcfReaderTests.AssertClose([g.X - palm[0], g.Y - palm[1], g.Z - palm[2]], wrap.Center, 1e-12, "RI2 wrap centre");
        Assert.NotNull(wrap.Side);
    }

    [Fact]
    public void Every_wrap_geom_of_a_finger_tendon_is_imported()
    {
        MjcfModel mjcf = MjcfReader.Load(MyoHandFiles.Xml);
        foreach (MuscleSpec m in Converted.Value.Muscles)
        {
            MjcfTendon tendon = mjcf.Tendon(mjcf.Muscles.Single(a => a.Name == m.Name).Tendon);
            Assert.Equal(tendon.Path.Count(e => e.Kind == MjcfPathKind.Geom), m.Wraps.Length);
            Assert.Equal(tendon.Path.Count(e => e.Kind == MjcfPathKind.Site), m.Path.Length);
        }
    }

    internal static double[] FrameColumn(double[] q, int column)
    {
        Mat3 m = new MsMano.Biomechanics.Kinematics.Algebra.Quat(q[0], q[1], q[2], q[3]).ToMatrix();
        return m.Column(column).ToArray();
    }
}
