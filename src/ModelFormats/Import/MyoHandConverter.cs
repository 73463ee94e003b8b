using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// Converts the MyoHand MJCF (bone-centric, 23 hinges) into the project's joint-centric MANO hand (paper Sec. 3.2,
/// Eq. 2-5). See <see cref="MyoHandMapping"/> for the bone groups, axis choices, synthetic limits and path revisions.
///
/// - Hand frame: the lunate frame at qpos0; every MyoHand point is expressed there.
/// - Joint centres: mean of each bone group's origins (Eq. 2).
/// - Attachments: offset = point - joint centre (Eq. 3-5), for sites on any body of the joint's group; forearm bodies
///   (the lunate's ancestors: radius, ulna, humerus and the welded ones) belong to joint 0 (wrist locked).
/// - Muscles: the tendon's sites as via points, and its wrapping spheres and cylinders (with their side sites) as wrap
///   surfaces on the segment between the two sites around them, evaluated with MuJoCo's wrap rules.
/// - Contacts: the skin capsules and the pairs MuJoCo's filter lets collide, pruned to those that can touch
///   (<see cref="MyoHandContacts"/>).
/// - Mass: MuJoCo's compiled semantics (explicit inertials, boundmass / boundinertia, balanceinertia). Lunate and
///   capitate have no &lt;inertial&gt;; MuJoCo takes their mass from geoms including bone meshes, which are not shipped,
///   so they get their primitive geoms only (lunate: its wrap spheres/cylinders, ~0.1625 of MuJoCo's 0.1638 kg;
///   capitate: no primitive geom, so MuJoCo's boundmass 0.001 kg / boundinertia 1e-4 placeholder).
/// </summary>
public static class MyoHandConverter
{
    public const string Attribution =
        "Derived from MyoHand (MyoSuite, myo_sim, hand/myohand.xml, model MyoHand_v0.1.7), Apache License 2.0, " +
        "Copyright 2020 Vikash Kumar, Vittorio Caggiano, Huawei Wang (https://github.com/MyoHub/myo_sim). " +
        "Converted by MS-MANO Cluster's MyoHandConverter to a joint-centric MANO-topology hand (MS-MANO, CVPR 2024, Sec. 3.2): " +
        "MANO joint centres are the means of MyoHand bone-group origins, anatomical frames come from MyoHand hinge axes " +
        "(thumb axes sign-flipped so positive = flexion), muscle via points are MyoHand tendon sites re-expressed as offsets " +
        "from their joint centre in the lunate frame at qpos0, wrapping spheres and cylinders are kept as wrap surfaces " +
        "with MuJoCo's semantics, masses and inertias are MyoHand's (MuJoCo compiler bounds applied), and muscle " +
        "parameters are MyoHand's actuator values with MuJoCo's muscle defaults. Modified from the original; see the NOTICE file.";

    /// <summary>Reads the MJCF at <paramref name="mjcfPath"/> (e.g. myohand/hand/myohand.xml) and converts it.</summary>
    public static HandModel Convert(string mjcfPath) => Convert(MjcfReader.Load(mjcfPath));

    /// <summary>Converts and writes the model file (the CLI's "convert-model --mjcf PATH --out PATH").</summary>
    public static HandModel ConvertToFile(string mjcfPath, string outputPath)
    {
        HandModel model = Convert(mjcfPath);
        HandModelFile.Save(model, outputPath);
        return model;
    }

    public static HandModel Convert(MjcfModel mjcf)
    {
        var frame = new HandFrame(mjcf.Body(MyoHandMapping.HandFrameBody));
        Dictionary<string, int> bodyToJoint = BodyToJoint(mjcf);
        Vec3[] centres = MyoHandMapping.Groups.Select(g => Centre(mjcf, frame, g)).ToArray();

        // MuJoCo's dof_invweight0 from MyoHand's whole tree: the scale of each hinge's soft limit.
        Dictionary<string, double> inverseWeights = MjcfInverseWeights.Dofs(mjcf);
        var joints = new JointSpec[HandModel.JointCount];
        for (int j = 0; j < joints.Length; j++)
        {
            joints[j] = BuildJoint(mjcf, frame, j, centres, inverseWeights);
        }
        TipSpec[] tips = MyoHandMapping.Tips
            .Select((t, i) => new TipSpec
            {
                Name = TipNames[i],
                Joint = t.Joint,
                Offset = (frame.Point(mjcf.Site(t.Site).WorldPosition) - centres[t.Joint]).ToArray(),
            })
            .ToArray();
        MuscleSpec[] muscles = mjcf.Muscles.Select(m => BuildMuscle(mjcf, frame, m, bodyToJoint, centres)).ToArray();

        var model = new HandModel
        {
            Name = $"MS-MANO default right hand (from {mjcf.ModelName})",
            Attribution = Attribution,
            Gravity = frame.Direction(mjcf.Gravity).ToArray(),
            Joints = joints,
            Tips = tips,
            Muscles = muscles,
        };
        model = model with { Contacts = MyoHandContacts.Build(mjcf, frame.Point, frame.Rotation, bodyToJoint, centres, model) };
        HandModelValidation.Validate(model, mjcf.SourcePath);
        return model;
    }

    private static readonly string[] TipNames = ["thumb", "index", "middle", "ring", "little"];

    /// <summary>MyoHand world (qpos0) to hand frame.</summary>
    private sealed class HandFrame(MjcfBody root)
    {
        private readonly Mat3 _toHand = root.WorldOrientation.ToMatrix().Transpose();
        private readonly Vec3 _origin = root.WorldPosition;

        public Vec3 Point(Vec3 world) => _toHand * (world - _origin);
        public Vec3 Direction(Vec3 world) => _toHand * world;
        public Mat3 Rotation(Quat world) => _toHand * world.ToMatrix();
    }

    private static Dictionary<string, int> BodyToJoint(MjcfModel mjcf)
    {
        var map = new Dictionary<string, int>();
        for (int j = 0; j < MyoHandMapping.Groups.Length; j++)
        {
            foreach (string b in MyoHandMapping.Groups[j].MassBodies)
            {
                mjcf.Body(b);
                map[b] = j;
            }
        }
        // The forearm chain above the hand-frame body carries extrinsic muscle origins; it is rigid with joint 0.
        MjcfBody body = mjcf.Body(MyoHandMapping.HandFrameBody);
        while (body.Parent > 0)
        {
            body = mjcf.Bodies[body.Parent];
            map[body.Name] = 0;
        }
        return map;
    }

    private static Vec3 Centre(MjcfModel mjcf, HandFrame frame, MyoJointGroup group)
    {
        Vec3 sum = Vec3.Zero;
        foreach (string b in group.CentreBodies)
        {
            sum += frame.Point(mjcf.Body(b).WorldPosition);
        }
        return sum / group.CentreBodies.Length;
    }

    private static JointSpec BuildJoint(MjcfModel mjcf, HandFrame frame, int j, Vec3[] centres, Dictionary<string, double> inverseWeights)
    {
        MyoJointGroup g = MyoHandMapping.Groups[j];
        BodySpec body = MergeBodies(mjcf, frame, g, centres[j]);
        if (j == 0)
        {
            return WristJoint(mjcf, frame, g, body, centres[0], inverseWeights);
        }
        MjcfJoint flexJoint = mjcf.Joint(g.Flexion!.Joint);
        Vec3 x = frame.Direction(flexJoint.WorldAxis).Normalized() * (g.Flexion.Flip ? -1 : 1);
        Vec3 bone = BoneDirection(mjcf, frame, j, centres);
        Vec3 y, z;
        double[] abduction = [0, 1, 0];
        MjcfJoint? abdJoint = g.Abduction is null ? null : mjcf.Joint(g.Abduction.Joint);
        if (abdJoint is not null)
        {
            Vec3 a = frame.Direction(abdJoint.WorldAxis).Normalized() * (g.Abduction!.Flip ? -1 : 1);
            y = (a - a.Dot(x) * x).Normalized();
            // MyoHand's two hinges of a joint are not exactly perpendicular: the frame is, and the hinge is kept as it is.
            double skew = a.Dot(x);
            abduction = Math.Abs(skew) < 1e-9 ? [0, 1, 0] : [skew, a.Dot(y), 0];
            z = x.Cross(y);
            if (z.Dot(bone) <= 0)
            {
                throw new InvalidOperationException(
                    $"{mjcf.SourcePath}: joint {g.Name}: x({g.Flexion.Joint}) x y({g.Abduction.Joint}) points proximally; the axis signs in MyoHandMapping need review.");
            }
        }
        else
        {
            z = (bone - bone.Dot(x) * x).Normalized();
            y = z.Cross(x);
        }
        var q = Mat3.FromColumns(x, y, z).ToQuat();

        double[] flexRange = SignedRange(flexJoint, g.Flexion.Flip);
        double[] abdRange = abdJoint is null ? MyoHandMapping.AbsentAxisRange : SignedRange(abdJoint, g.Abduction!.Flip);
        double damping = flexJoint.Damping, armature = flexJoint.Armature;
        double abdDamping = abdJoint?.Damping ?? damping, abdArmature = abdJoint?.Armature ?? armature;
        return new JointSpec
        {
            Name = g.Name,
            Parent = g.Parent,
            Position = centres[j].ToArray(),
            Frame = q.ToArray(),
            AbductionAxis = abduction,
            LowerLimit = [flexRange[0], abdRange[0], MyoHandMapping.AbsentAxisRange[0]],
            UpperLimit = [flexRange[1], abdRange[1], MyoHandMapping.AbsentAxisRange[1]],
            Damping = [damping, abdDamping, damping],
            Armature = [armature, abdArmature, armature],
            InverseWeight = [inverseWeights[flexJoint.Name], abdJoint is null ? 0 : inverseWeights[abdJoint.Name], 0],
            Body = body,
            SourceBodies = g.MassBodies,
        };
    }

    /// <summary>
    /// Joint 0 is the root (locked in the paper's experiments). Its frame and limits still describe MyoHand's wrist for
    /// an unlocked root: x = flexion (+x, palmar flexion positive), y = deviation (+z, radial positive), z = distal (-y)
    /// about which forearm pronation (pro_sup, about ~+y) is negative.
    /// </summary>
    private static JointSpec WristJoint(MjcfModel mjcf, HandFrame frame, MyoJointGroup g, BodySpec body, Vec3 centre, Dictionary<string, double> inverseWeights)
    {
        MjcfJoint flex = mjcf.Joint(MyoHandMapping.WristFlexion);
        MjcfJoint dev = mjcf.Joint(MyoHandMapping.WristDeviation);
        MjcfJoint proSup = mjcf.Joint(MyoHandMapping.ForearmRotation);
        Vec3 x = frame.Direction(flex.WorldAxis).Normalized();
        Vec3 y = frame.Direction(dev.WorldAxis);
        y = (y - y.Dot(x) * x).Normalized();
        Vec3 z = x.Cross(y);
        bool proSupAlongZ = frame.Direction(proSup.WorldAxis).Dot(z) > 0;
        double[] twist = SignedRange(proSup, flip: !proSupAlongZ);
        return new JointSpec
        {
            Name = g.Name,
            Parent = -1,
            Position = centre.ToArray(),
            Frame = Mat3.FromColumns(x, y, z).ToQuat().ToArray(),
            LowerLimit = [flex.Range[0], dev.Range[0], twist[0]],
            UpperLimit = [flex.Range[1], dev.Range[1], twist[1]],
            Damping = [flex.Damping, dev.Damping, proSup.Damping],
            Armature = [flex.Armature, dev.Armature, proSup.Armature],
            InverseWeight = [inverseWeights[flex.Name], inverseWeights[dev.Name], inverseWeights[proSup.Name]],
            Body = body,
            SourceBodies = g.MassBodies,
        };
    }

    private static double[] SignedRange(MjcfJoint joint, bool flip) =>
        flip ? [-joint.Range[1], -joint.Range[0]] : [joint.Range[0], joint.Range[1]];

    /// <summary>Rest direction of the bone distal to joint j: toward its child joint, or its fingertip for the last joint.</summary>
    private static Vec3 BoneDirection(MjcfModel mjcf, HandFrame frame, int j, Vec3[] centres)
    {
        for (int c = j + 1; c < MyoHandMapping.Groups.Length; c++)
        {
            if (MyoHandMapping.Groups[c].Parent == j)
            {
                return (centres[c] - centres[j]).Normalized();
            }
        }
        foreach ((string site, int joint) in MyoHandMapping.Tips)
        {
            if (joint == j)
            {
                return (frame.Point(mjcf.Site(site).WorldPosition) - centres[j]).Normalized();
            }
        }
        throw new InvalidOperationException($"MANO joint {j} has neither a child joint nor a fingertip.");
    }

    private static BodySpec MergeBodies(MjcfModel mjcf, HandFrame frame, MyoJointGroup g, Vec3 centre)
    {
        var parts = new List<(double Mass, Vec3 Com, Mat3 Inertia)>();
        foreach (string name in g.MassBodies)
        {
            MjcfBody b = mjcf.Body(name);
            Mat3 r = frame.Rotation(b.WorldOrientation);
            Vec3 com = frame.Point(b.WorldPosition + b.WorldOrientation.Rotate(b.Inertial.CenterOfMass));
            parts.Add((b.Inertial.Mass, com, r * b.Inertial.Inertia * r.Transpose()));
        }
        MjcfInertial merged = MjcfMassProperties.Combine(parts, MjcfInertialSource.Explicit);
        Mat3 i = merged.Inertia;
        return new BodySpec
        {
            Mass = merged.Mass,
            CenterOfMass = (merged.CenterOfMass - centre).ToArray(),
            Inertia = [i.M00, i.M11, i.M22, 0.5 * (i.M01 + i.M10), 0.5 * (i.M02 + i.M20), 0.5 * (i.M12 + i.M21)],
        };
    }

    private static MuscleSpec BuildMuscle(MjcfModel mjcf, HandFrame frame, MjcfMuscle m, Dictionary<string, int> bodyToJoint, Vec3[] centres)
    {
        MjcfTendon tendon = mjcf.Tendon(m.Tendon);
        var path = new List<ViaPoint>();
        var wraps = new List<WrapSpec>();
        for (int k = 0; k < tendon.Path.Count; k++)
        {
            MjcfPathElement e = tendon.Path[k];
            if (e.Kind != MjcfPathKind.Site)
            {
                bool betweenSites = k > 0 && k + 1 < tendon.Path.Count &&
                    tendon.Path[k - 1].Kind == MjcfPathKind.Site && tendon.Path[k + 1].Kind == MjcfPathKind.Site;
                if (!betweenSites)
                {
                    throw new InvalidOperationException($"{mjcf.SourcePath}: tendon {tendon.Name}: wrap geom {e.Name} must sit between two sites.");
                }
                wraps.Add(Wrap(mjcf, frame, e, path.Count - 1, bodyToJoint, centres, m.Name));
                continue;
            }
            MjcfSite site = mjcf.Site(e.Name);
            path.Add(Attach(mjcf, frame, site.Body, site.WorldPosition, e.Name, bodyToJoint, centres, m.Name));
        }
        return new MuscleSpec
        {
            Name = m.Name,
            Group = Classify(path, originOnForearm: !MyoHandMapping.PalmBones.Contains(mjcf.Site(tendon.Path[0].Name).Body) &&
                bodyToJoint.GetValueOrDefault(mjcf.Site(tendon.Path[0].Name).Body, -1) == 0),
            MaxIsometricForce = m.Force,
            LengthRange = [m.LengthRange[0], m.LengthRange[1]],
            OperatingRange = [m.Range[0], m.Range[1]],
            LMin = m.LMin,
            LMax = m.LMax,
            VMax = m.VMax,
            FpMax = m.FpMax,
            FvMax = m.FvMax,
            TauActivation = m.TimeConst[0],
            TauDeactivation = m.TimeConst[1],
            Path = path.ToArray(),
            Wraps = wraps.ToArray(),
        };
    }

    /// <summary>A wrapping sphere or cylinder, re-expressed like a via point: centre and side point as offsets from the joint carrying its body.</summary>
    private static WrapSpec Wrap(MjcfModel mjcf, HandFrame frame, MjcfPathElement e, int segment,
        Dictionary<string, int> bodyToJoint, Vec3[] centres, string muscle)
    {
        MjcfGeom geom = mjcf.Geom(e.Name);
        WrapKind kind = geom.Type switch
        {
            "sphere" => WrapKind.Sphere,
            "cylinder" => WrapKind.Cylinder,
            _ => throw new InvalidOperationException(
                $"{mjcf.SourcePath}: muscle {muscle}: wrap geom {geom.Name} has type=\"{geom.Type}\"; MuJoCo wraps only spheres and cylinders."),
        };
        if (!bodyToJoint.TryGetValue(geom.Body, out int joint))
        {
            throw new InvalidOperationException(
                $"{mjcf.SourcePath}: muscle {muscle}: wrap geom {geom.Name} is on body \"{geom.Body}\", which maps to no MANO joint.");
        }
        double[]? side = null;
        if (e.SideSite is not null)
        {
            MjcfSite site = mjcf.Site(e.SideSite);
            if (bodyToJoint.GetValueOrDefault(site.Body, -1) != joint)
            {
                throw new InvalidOperationException(
                    $"{mjcf.SourcePath}: muscle {muscle}: side site {site.Name} (body \"{site.Body}\") does not move with wrap geom {geom.Name} (body \"{geom.Body}\").");
            }
            side = (frame.Point(site.WorldPosition) - centres[joint]).ToArray();
        }
        return new WrapSpec
        {
            Segment = segment,
            Kind = kind,
            Joint = joint,
            Center = (frame.Point(geom.WorldPosition) - centres[joint]).ToArray(),
            Axis = kind == WrapKind.Cylinder ? frame.Direction(geom.WorldOrientation.Rotate(new Vec3(0, 0, 1))).Normalized().ToArray() : [0, 0, 1],
            Radius = geom.Size[0],
            Side = side,
            Source = e.SideSite is null ? geom.Name : $"{geom.Name} (side {e.SideSite})",
        };
    }

    private static ViaPoint Attach(MjcfModel mjcf, HandFrame frame, string bodyName, Vec3 world, string source,
        Dictionary<string, int> bodyToJoint, Vec3[] centres, string muscle)
    {
        if (!bodyToJoint.TryGetValue(bodyName, out int joint))
        {
            throw new InvalidOperationException(
                $"{mjcf.SourcePath}: muscle {muscle}: path point {source} is on body \"{bodyName}\", which maps to no MANO joint.");
        }
        return new ViaPoint { Joint = joint, Offset = (frame.Point(world) - centres[joint]).ToArray(), Source = source };
    }

    /// <summary>
    /// Wrist: every point on joint 0 (the muscle moves only the locked wrist/forearm). Extrinsic: originates on the
    /// forearm and reaches a finger or thumb joint. Intrinsic: the rest (whole path inside the hand).
    /// </summary>
    private static MuscleGroup Classify(List<ViaPoint> path, bool originOnForearm)
    {
        if (path.All(p => p.Joint == 0))
        {
            return MuscleGroup.Wrist;
        }
        return originOnForearm ? MuscleGroup.Extrinsic : MuscleGroup.Intrinsic;
    }
}
