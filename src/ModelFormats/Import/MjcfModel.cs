using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// The parts of a compiled MJCF model that the hand converter needs, with world frames at qpos0.
/// Bodies are in document (depth-first) order; index 0 is the world body.
/// </summary>
public sealed class MjcfModel
{
    public required string SourcePath { get; init; }
    public required string ModelName { get; init; }
    public required IReadOnlyList<MjcfBody> Bodies { get; init; }
    public required IReadOnlyList<MjcfJoint> Joints { get; init; }
    public required IReadOnlyList<MjcfSite> Sites { get; init; }
    public required IReadOnlyList<MjcfGeom> Geoms { get; init; }
    public required IReadOnlyList<MjcfTendon> Tendons { get; init; }
    public required IReadOnlyList<MjcfMuscle> Muscles { get; init; }
    public required Vec3 Gravity { get; init; }
    /// <summary>Include files that did not exist and were skipped (e.g. a scene file); lookups that fail mention them.</summary>
    public required IReadOnlyList<string> MissingIncludes { get; init; }
    /// <summary>&lt;contact&gt;&lt;exclude&gt; body pairs.</summary>
    public IReadOnlyList<MjcfContactExclude> ContactExcludes { get; init; } = [];

    public MjcfBody Body(string name) => Find(Bodies, b => b.Name, name, "body");
    public MjcfJoint Joint(string name) => Find(Joints, j => j.Name, name, "joint");
    public MjcfSite Site(string name) => Find(Sites, s => s.Name, name, "site");
    public MjcfGeom Geom(string name) => Find(Geoms, g => g.Name, name, "geom");
    public MjcfTendon Tendon(string name) => Find(Tendons, t => t.Name, name, "tendon");

    public IEnumerable<MjcfJoint> JointsOf(string bodyName) => Joints.Where(j => j.Body == bodyName);

    private T Find<T>(IReadOnlyList<T> items, Func<T, string> name, string wanted, string kind)
    {
        foreach (T item in items)
        {
            if (name(item) == wanted)
            {
                return item;
            }
        }
        string hint = MissingIncludes.Count == 0 ? "" : $" (skipped missing includes: {string.Join(", ", MissingIncludes)})";
        throw new MjcfException($"{SourcePath}: no <{kind} name=\"{wanted}\"> in the model{hint}.");
    }
}

/// <summary>An MJCF body: its parent, pose and inertial.</summary>
public sealed record MjcfBody
{
    public required string Name { get; init; }
    public required int Index { get; init; }
    /// <summary>Parent body index; -1 for the world.</summary>
    public required int Parent { get; init; }
    public required Vec3 LocalPosition { get; init; }
    public required Quat LocalOrientation { get; init; }
    public required Vec3 WorldPosition { get; init; }
    public required Quat WorldOrientation { get; init; }
    /// <summary>Mass properties as MuJoCo's compiler would give them (mesh geoms excluded; see MjcfMassProperties).</summary>
    public required MjcfInertial Inertial { get; init; }
}

/// <summary>Mass, centre of mass and inertia tensor about the CoM, all in the body frame.</summary>
public sealed record MjcfInertial(double Mass, Vec3 CenterOfMass, Mat3 Inertia, MjcfInertialSource Source);

/// <summary>Where a body's inertial came from.</summary>
public enum MjcfInertialSource
{
    /// <summary>An explicit &lt;inertial&gt; element.</summary>
    Explicit,
    /// <summary>Summed from the body's primitive geoms (inertiafromgeom); mesh geoms are not available and skipped.</summary>
    PrimitiveGeoms,
    /// <summary>No mass source at all: MuJoCo's bounds (boundmass/boundinertia) alone.</summary>
    BoundsOnly,
}

/// <summary>An MJCF joint: type, axis, range and passive properties.</summary>
public sealed record MjcfJoint
{
    public required string Name { get; init; }
    public required string Body { get; init; }
    public required string Type { get; init; }
    /// <summary>Axis in the body frame, normalised.</summary>
    public required Vec3 LocalAxis { get; init; }
    public required Vec3 LocalPosition { get; init; }
    public required Vec3 WorldAnchor { get; init; }
    public required Vec3 WorldAxis { get; init; }
    public required bool Limited { get; init; }
    /// <summary>Range in radians (hinge) or metres (slide).</summary>
    public required double[] Range { get; init; }
    public required double Damping { get; init; }
    public required double Armature { get; init; }
    public required double Stiffness { get; init; }
}

/// <summary>An MJCF site, in its body's frame and in the world at qpos0.</summary>
public sealed record MjcfSite
{
    public required string Name { get; init; }
    public required string Body { get; init; }
    public required Vec3 LocalPosition { get; init; }
    public required Vec3 WorldPosition { get; init; }
}

/// <summary>An MJCF geom: type, size and pose in its body.</summary>
public sealed record MjcfGeom
{
    public required string Name { get; init; }
    public required string Body { get; init; }
    public required string Type { get; init; }
    public required double[] Size { get; init; }
    public required Vec3 LocalPosition { get; init; }
    public required Quat LocalOrientation { get; init; }
    public required Vec3 WorldPosition { get; init; }
    public required Quat WorldOrientation { get; init; }
    public required double Density { get; init; }
    /// <summary>Explicit mass attribute, when given (overrides density).</summary>
    public double? Mass { get; init; }
    /// <summary>Collision attributes (contype, conaffinity, margin, solref, solimp, friction) with defaults resolved.</summary>
    public MjcfGeomContact Contact { get; init; } = MjcfGeomContact.MuJoCoDefault;
}

/// <summary>What a tendon path element is: a site or a wrapping geom.</summary>
public enum MjcfPathKind
{
    Site,
    Geom,
}

/// <summary>One element of a spatial tendon's path: a site, or a wrapping geom with an optional side site.</summary>
public sealed record MjcfPathElement(MjcfPathKind Kind, string Name, string? SideSite);

/// <summary>An MJCF spatial tendon: its name and path.</summary>
public sealed record MjcfTendon
{
    public required string Name { get; init; }
    public required IReadOnlyList<MjcfPathElement> Path { get; init; }
}

/// <summary>A &lt;muscle&gt; actuator with its defaults resolved (explicit attribute, then class, then MuJoCo default).</summary>
public sealed record MjcfMuscle
{
    public required string Name { get; init; }
    public required string Tendon { get; init; }
    public required double Force { get; init; }
    public required double[] LengthRange { get; init; }
    public required double[] Range { get; init; }
    public required double LMin { get; init; }
    public required double LMax { get; init; }
    public required double VMax { get; init; }
    public required double FpMax { get; init; }
    public required double FvMax { get; init; }
    public required double[] TimeConst { get; init; }
}
