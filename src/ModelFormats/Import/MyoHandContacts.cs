using System.Globalization;
using MsMano.Biomechanics.Contacts;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// MyoHand's skin geoms as the model's contact capsules, and the pairs MuJoCo would test, pruned to those that can touch.
///
/// - Geoms: every geom with contype or conaffinity set on a body that maps to a MANO joint (the hand, and the forearm,
///   which is rigid with the palm while the wrist is held). Capsules and spheres are exact. MyoHand's nails are flat
///   ellipsoids (semi-axes about 5 x 8 x 2 mm) on the back of the fingertip; each becomes a capsule along its longest axis
///   with the radius of its shortest, so it has the nail's length and thickness, and the fingertip's own capsule covers
///   most of its width. (A capsule as wide as the nail stood 3.5 mm proud of it, and a flexing finger caught on the thumb
///   where MuJoCo's slides past.)
/// - Pairs, as MuJoCo's collision filter: contype/conaffinity compatible; not on one weld body (bodies without joints
///   are welded to their parent); not parent and child (filterparent, by weld body, the world excepted); not in a
///   &lt;contact&gt;&lt;exclude&gt;; and, for us, not on one MANO joint (a rigid pair never moves).
/// - Each capsule carries MuJoCo's body_invweight0 of its body (<see cref="MjcfInverseWeights"/>): the contact's scale.
/// - Pruning: a pair stays only if it comes within the margin (plus <see cref="PruneSlack"/>) in some sampled pose:
///   <see cref="PruneSamples"/> poses, each angle at its lower end, its upper end or uniform between (1/4, 1/4, 1/2),
///   over the joint ranges widened by <see cref="RangeWidening"/> for MuJoCo's soft limits.
/// </summary>
internal static class MyoHandContacts
{
    public const int PruneSamples = 40_000;
    public const double PruneSlack = 0.002;
    public const double RangeWidening = 5 * Math.PI / 180;

    /// <summary>Candidate pairs before pruning, for the converter's report.</summary>
    public static int LastCandidateCount { get; private set; }

    public static ContactSpec Build(MjcfModel mjcf, Func<Vec3, Vec3> toHand, Func<Quat, Mat3> rotationToHand,
        Dictionary<string, int> bodyToJoint, Vec3[] centres, HandModel withoutContacts)
    {
        var geoms = new List<ContactGeomSpec>();
        var sources = new List<MjcfGeom>();
        Dictionary<string, double> inverseWeights = MjcfInverseWeights.Translational(mjcf);
        foreach (MjcfGeom g in mjcf.Geoms)
        {
            if ((g.Contact.ContactType == 0 && g.Contact.ContactAffinity == 0) || !bodyToJoint.TryGetValue(g.Body, out int joint))
            {
                continue;
            }
            geoms.Add(Capsule(mjcf, g, joint, toHand, rotationToHand, centres[joint]) with { InverseWeight = inverseWeights[g.Body] });
            sources.Add(g);
        }
        if (geoms.Count == 0)
        {
            return new ContactSpec();
        }
        MjcfGeomContact first = sources[0].Contact;
        foreach (MjcfGeom g in sources)
        {
            MjcfGeomContact c = g.Contact;
            if (c.Margin != first.Margin || !c.SolRef.SequenceEqual(first.SolRef) || !c.SolImp.Take(3).SequenceEqual(first.SolImp.Take(3)) || c.Friction[0] != first.Friction[0])
            {
                throw new InvalidOperationException(
                    $"{mjcf.SourcePath}: geom {Describe(g)} has contact parameters (margin {c.Margin}, solref {string.Join(" ", c.SolRef)}, solimp {string.Join(" ", c.SolImp)}, " +
                    $"friction {c.Friction[0]}) unlike {Describe(sources[0])}'s; the model file keeps one set for all skin geoms.");
            }
        }

        int[] weld = WeldBodies(mjcf);
        var excluded = new HashSet<(int, int)>();
        foreach (MjcfContactExclude e in mjcf.ContactExcludes)
        {
            int a = mjcf.Body(e.Body1).Index, b = mjcf.Body(e.Body2).Index;
            excluded.Add((Math.Min(a, b), Math.Max(a, b)));
        }
        var candidates = new List<ContactPairSpec>();
        for (int i = 0; i < geoms.Count; i++)
        {
            for (int k = i + 1; k < geoms.Count; k++)
            {
                int bi = mjcf.Body(sources[i].Body).Index, bk = mjcf.Body(sources[k].Body).Index;
                int wi = weld[bi], wk = weld[bk];
                bool parentChild = wi != 0 && wk != 0 && (wi == ParentWeld(mjcf, weld, wk) || wk == ParentWeld(mjcf, weld, wi));
                if (!sources[i].Contact.Collides(sources[k].Contact) || wi == wk || parentChild ||
                    excluded.Contains((Math.Min(bi, bk), Math.Max(bi, bk))) || geoms[i].Joint == geoms[k].Joint)
                {
                    continue;
                }
                candidates.Add(new ContactPairSpec { A = i, B = k });
            }
        }
        LastCandidateCount = candidates.Count;
        var spec = new ContactSpec
        {
            // MuJoCo 3.14 adds the two geoms' margins (mj_collideGeoms); every skin geom has the same one.
            Margin = 2 * first.Margin,
            SolRef = [.. first.SolRef],
            SolImp = [.. first.SolImp.Take(3)],
            Friction = first.Friction[0],
            Geoms = [.. geoms],
        };
        return spec with { Pairs = Prune(withoutContacts, spec, candidates) };
    }

    /// <summary>Keeps the pairs that come within the margin (plus slack) in some sampled pose.</summary>
    public static ContactPairSpec[] Prune(HandModel model, ContactSpec spec, List<ContactPairSpec> candidates)
    {
        var kinematics = new HandKinematics(model);
        var random = new Random(13);
        double[] closest = Enumerable.Repeat(double.PositiveInfinity, candidates.Count).ToArray();
        double[] angles = new double[HandModel.DofCount];
        var ends = new Vec3[2 * spec.Geoms.Length];
        for (int sample = 0; sample < PruneSamples; sample++)
        {
            for (int j = 1; j < HandModel.JointCount; j++)
            {
                for (int a = 0; a < 3; a++)
                {
                    double lo = model.Joints[j].LowerLimit[a] - RangeWidening, hi = model.Joints[j].UpperLimit[a] + RangeWidening;
                    double u = random.NextDouble();
                    angles[3 * (j - 1) + a] = u < 0.25 ? lo : u < 0.5 ? hi : lo + (hi - lo) * random.NextDouble();
                }
            }
            HandFrames frames = kinematics.Forward(angles);
            for (int g = 0; g < spec.Geoms.Length; g++)
            {
                ContactGeomSpec geom = spec.Geoms[g];
                ends[2 * g] = frames.Point(geom.Joint, Vec3.From(geom.From));
                ends[2 * g + 1] = frames.Point(geom.Joint, Vec3.From(geom.To));
            }
            for (int p = 0; p < candidates.Count; p++)
            {
                int a = candidates[p].A, b = candidates[p].B;
                double d = SegmentDistance.Capsules(ends[2 * a], ends[2 * a + 1], spec.Geoms[a].Radius, ends[2 * b], ends[2 * b + 1], spec.Geoms[b].Radius);
                closest[p] = Math.Min(closest[p], d);
            }
        }
        return candidates.Where((_, p) => closest[p] < spec.Margin + PruneSlack).ToArray();
    }

    private static ContactGeomSpec Capsule(MjcfModel mjcf, MjcfGeom g, int joint, Func<Vec3, Vec3> toHand, Func<Quat, Mat3> rotationToHand, Vec3 centre)
    {
        Mat3 r = rotationToHand(g.WorldOrientation);
        Vec3 c = toHand(g.WorldPosition) - centre;
        (Vec3 axis, double half, double radius, string how) = g.Type switch
        {
            "capsule" => (r.Column(2), g.Size[1], g.Size[0], "capsule"),
            "sphere" => (r.Column(2), 0.0, g.Size[0], "sphere"),
            "ellipsoid" => Ellipsoid(r, g.Size),
            _ => throw new InvalidOperationException(
                $"{mjcf.SourcePath}: geom {Describe(g)} collides but has type=\"{g.Type}\"; contacts support capsules, spheres and ellipsoids."),
        };
        return new ContactGeomSpec
        {
            Name = g.Name.Length > 0 ? g.Name : $"{g.Body} {g.Type}",
            Joint = joint,
            From = (c - half * axis).ToArray(),
            To = (c + half * axis).ToArray(),
            Radius = radius,
            Source = $"{Describe(g)}: {how}",
        };
    }

    /// <summary>A capsule along the longest semi-axis with the shortest as radius: the flat ellipsoid's length and thickness.</summary>
    private static (Vec3 Axis, double Half, double Radius, string How) Ellipsoid(Mat3 r, double[] size)
    {
        int[] order = [.. Enumerable.Range(0, 3).OrderByDescending(i => size[i])];
        double longest = size[order[0]], shortest = size[order[2]];
        string how = string.Create(CultureInfo.InvariantCulture,
            $"ellipsoid {size[0]:G4} x {size[1]:G4} x {size[2]:G4} as a capsule of radius {shortest:G4} along its {longest:G4} axis");
        return (r.Column(order[0]), longest - shortest, shortest, how);
    }

    /// <summary>MuJoCo's weld body of each body: itself if it has a joint (or is the world), else its parent's.</summary>
    private static int[] WeldBodies(MjcfModel mjcf)
    {
        var jointed = mjcf.Joints.Select(j => j.Body).ToHashSet();
        int[] weld = new int[mjcf.Bodies.Count];
        foreach (MjcfBody b in mjcf.Bodies)
        {
            weld[b.Index] = b.Index == 0 || jointed.Contains(b.Name) ? b.Index : weld[b.Parent];
        }
        return weld;
    }

    private static int ParentWeld(MjcfModel mjcf, int[] weld, int body) => weld[Math.Max(0, mjcf.Bodies[body].Parent)];

    private static string Describe(MjcfGeom g) => g.Name.Length > 0 ? $"\"{g.Name}\" (body {g.Body})" : $"{g.Type} (body {g.Body})";
}

/// <summary>
/// MuJoCo's invweight0 quantities as mj_setConst computes them, from the whole model's joint-space inertia M at qpos0
/// (armature included): body_invweight0 (translation), the mean diagonal of J·M⁻¹·Jᵀ for each body's centre of mass, and
/// dof_invweight0, the diagonal of M⁻¹ per hinge.
/// </summary>
internal static class MjcfInverseWeights
{
    public static Dictionary<string, double> Translational(MjcfModel mjcf)
    {
        (double[,] inverse, List<int>[] dofs, Vec3[] comOf) = Inverse(mjcf);
        var result = new Dictionary<string, double>();
        foreach (MjcfBody b in mjcf.Bodies)
        {
            List<int> d = dofs[b.Index];
            Vec3[] lin = d.Select(k => Column(mjcf, mjcf.Joints[k], comOf[b.Index]).Linear).ToArray();
            double trace = 0;
            for (int x = 0; x < d.Count; x++)
            {
                for (int y = 0; y < d.Count; y++)
                {
                    trace += inverse[d[x], d[y]] * lin[x].Dot(lin[y]);
                }
            }
            result[b.Name] = trace / 3;
        }
        return result;
    }

    /// <summary>dof_invweight0 of every joint (hinge or slide: one dof each), by joint name.</summary>
    public static Dictionary<string, double> Dofs(MjcfModel mjcf)
    {
        double[,] inverse = Inverse(mjcf).Inverse;
        return mjcf.Joints.Select((j, i) => (j.Name, inverse[i, i])).ToDictionary(x => x.Name, x => x.Item2);
    }

    private static (Vec3 Linear, Vec3 Angular) Column(MjcfModel mjcf, MjcfJoint joint, Vec3 point) => joint.Type switch
    {
        "hinge" => (joint.WorldAxis.Cross(point - joint.WorldAnchor), joint.WorldAxis),
        "slide" => (joint.WorldAxis, Vec3.Zero),
        _ => throw new InvalidOperationException($"{mjcf.SourcePath}: joint {joint.Name} has type {joint.Type}; invweight0 is computed for hinge and slide joints only."),
    };

    private static (double[,] Inverse, List<int>[] Dofs, Vec3[] CenterOfMass) Inverse(MjcfModel mjcf)
    {
        int nv = mjcf.Joints.Count;
        ILookup<string, int> jointIndex = mjcf.Joints.Select((j, i) => (j.Body, i)).ToLookup(x => x.Body, x => x.i);
        // Each body's dofs: the joints of the body and of its ancestors.
        var dofs = new List<int>[mjcf.Bodies.Count];
        foreach (MjcfBody b in mjcf.Bodies)
        {
            dofs[b.Index] = b.Parent < 0 ? [] : [.. dofs[b.Parent]];
            dofs[b.Index].AddRange(jointIndex[b.Name]);
        }
        double[,] m = new double[nv, nv];
        for (int i = 0; i < nv; i++)
        {
            m[i, i] = mjcf.Joints[i].Armature;
        }
        var comOf = new Vec3[mjcf.Bodies.Count];
        foreach (MjcfBody b in mjcf.Bodies)
        {
            Mat3 r = b.WorldOrientation.ToMatrix();
            Vec3 com = b.WorldPosition + r * b.Inertial.CenterOfMass;
            comOf[b.Index] = com;
            Mat3 inertia = r * b.Inertial.Inertia * r.Transpose();
            List<int> d = dofs[b.Index];
            (Vec3 Linear, Vec3 Angular)[] cols = d.Select(k => Column(mjcf, mjcf.Joints[k], com)).ToArray();
            for (int x = 0; x < d.Count; x++)
            {
                for (int y = 0; y < d.Count; y++)
                {
                    m[d[x], d[y]] += b.Inertial.Mass * cols[x].Linear.Dot(cols[y].Linear) + cols[x].Angular.Dot(inertia * cols[y].Angular);
                }
            }
        }
        double[,] inverse = SpdInverse.TryInvert(m, out int failed)
            ?? throw new InvalidOperationException($"{mjcf.SourcePath}: the joint-space inertia at qpos0 is not positive definite (dof {failed}); invweight0 needs every joint to carry mass or armature.");
        return (inverse, dofs, comOf);
    }
}
