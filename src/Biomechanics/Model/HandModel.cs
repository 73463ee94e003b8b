using System.Text.Json.Serialization;

namespace MsMano.Biomechanics.Model;

// The project's own joint-centric hand model file (format "msmano-hand", version 1).
//
// Conventions (every consumer relies on these):
// - One "hand frame", SI units. For the shipped hand it is MyoHand's lunate frame at qpos0:
//   -y distal (fingers point along -y), +x radial (thumb side), -z palmar, +z dorsal. A right hand.
// - MANO topology and order: 16 joints (0 wrist; 1-3 index; 4-6 middle; 7-9 pinky; 10-12 ring; 13-15 thumb),
//   parents [-1,0,1,2,0,4,5,0,7,8,0,10,11,0,13,14]. The wrist (joint 0) is the root body: the palm.
//   Forearm anatomy (origins of extrinsic muscles) is attached to joint 0 too: the wrist is locked, as in the
//   paper's experiments.
// - MANO-style rest pose: at rest every body has identity orientation in the hand frame. Joint j's rest centre is
//   Joints[j].Position. A joint's local rotation (child relative to parent) expressed in hand-frame axes is
//       R_rel = A_j * Rx(q_flex) * Ru(q_abd) * Rz(q_twist) * A_j^T
//   where A_j (Joints[j].Frame, quaternion w,x,y,z) holds the anatomical axes as columns: x = flexion axis,
//   y = abduction axis, z = twist axis (along the bone, distal), and Ru turns about u = Joints[j].AbductionAxis in
//   those axes: y itself, or a hinge in the x-y plane that is not perpendicular to flexion (MyoHand's thumb CMC,
//   whose two hinges are 99 deg apart). The three angles are the joint's generalized
//   coordinates (dof index = (j-1)*3 + axis for j = 1..15), limited per axis by LowerLimit/UpperLimit.
//   MANO's axis-angle pose for joint j is log(R_rel).
// - World kinematics: Rw_0 = root orientation; Rw_j = Rw_parent * R_rel_j;
//   x_j = x_parent + Rw_parent * (c_j - c_parent). A point with rest offset o attached to joint j
//   (a muscle via point, a fingertip, a centre of mass) is at x_j + Rw_j * o.
// - Offsets are joint-centric (paper Eq. 3-5): rest displacement from the joint centre in hand-frame axes, so a
//   shape change that moves the joints carries the attachments along.
/// <summary>The hand model file ("msmano-hand" version 1): joints, bodies, tips and muscles in the conventions above.</summary>
public sealed record HandModel
{
    public const string FormatName = "msmano-hand";
    public const int CurrentVersion = 1;
    public const int JointCount = 16;
    public const int DofCount = 45;
    public const int TipCount = 5;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public string Name { get; init; } = "";
    /// <summary>Provenance and licence text; keep it when the file is redistributed.</summary>
    public string Attribution { get; init; } = "";
    /// <summary>Gravity in the hand frame (m/s^2).</summary>
    public double[] Gravity { get; init; } = [0, 0, -9.81];
    public JointSpec[] Joints { get; init; } = [];
    /// <summary>Fingertips in the order thumb, index, middle, ring, little.</summary>
    public TipSpec[] Tips { get; init; } = [];
    public MuscleSpec[] Muscles { get; init; } = [];
    /// <summary>Skin capsules and the pairs of them that can touch (none: no contacts).</summary>
    public ContactSpec Contacts { get; init; } = new();

    /// <summary>Checks every invariant the consumers rely on; throws <see cref="HandModelException"/> naming the field.</summary>
    public void Validate(string source = "hand model") => HandModelValidation.Validate(this, source);
}

/// <summary>One MANO joint: rest centre, anatomical frame and per-axis limits.</summary>
public sealed record JointSpec
{
    public string Name { get; init; } = "";
    public int Parent { get; init; } = -1;
    /// <summary>Rest centre in the hand frame (m).</summary>
    public double[] Position { get; init; } = [0, 0, 0];
    /// <summary>Anatomical frame as a quaternion (w, x, y, z): columns flexion, abduction, twist.</summary>
    public double[] Frame { get; init; } = [1, 0, 0, 0];
    /// <summary>
    /// The abduction hinge in the anatomical frame (unit, z = 0): [0, 1, 0] is perpendicular to flexion. A source model
    /// whose two hinges are not perpendicular keeps its second one exactly here instead of having it orthogonalised.
    /// </summary>
    public double[] AbductionAxis { get; init; } = [0, 1, 0];
    /// <summary>Per-axis lower limits (rad): flexion, abduction, twist.</summary>
    public double[] LowerLimit { get; init; } = [0, 0, 0];
    /// <summary>Per-axis upper limits (rad): flexion, abduction, twist.</summary>
    public double[] UpperLimit { get; init; } = [0, 0, 0];
    /// <summary>Per-axis viscous damping (N m s / rad).</summary>
    public double[] Damping { get; init; } = [0.05, 0.05, 0.05];
    /// <summary>Per-axis rotor-like armature added to the joint-space inertia (kg m^2).</summary>
    public double[] Armature { get; init; } = [1e-4, 1e-4, 1e-4];
    /// <summary>
    /// Per-axis MuJoCo dof_invweight0 (the diagonal of M⁻¹ at the rest pose over the source model's whole tree, wrist
    /// included), the scale of the soft joint limit; 0 where the source has no such dof or none is given, and then it
    /// is computed from the hand itself.
    /// </summary>
    public double[] InverseWeight { get; init; } = [0, 0, 0];
    /// <summary>The rigid body distal to this joint (for joint 0: the palm).</summary>
    public BodySpec Body { get; init; } = new();
    /// <summary>MyoHand bodies merged into this joint's group (paper Eq. 2), for provenance.</summary>
    public string[] SourceBodies { get; init; } = [];
}

/// <summary>The rigid body a joint carries: mass, centre of mass and inertia at rest.</summary>
public sealed record BodySpec
{
    public double Mass { get; init; }
    /// <summary>Centre of mass: rest offset from the joint centre (m).</summary>
    public double[] CenterOfMass { get; init; } = [0, 0, 0];
    /// <summary>Inertia about the centre of mass in hand-frame axes at rest: xx, yy, zz, xy, xz, yz (kg m^2).</summary>
    public double[] Inertia { get; init; } = [0, 0, 0, 0, 0, 0];
}

/// <summary>A fingertip point: its joint and rest offset.</summary>
public sealed record TipSpec
{
    public string Name { get; init; } = "";
    public int Joint { get; init; }
    public double[] Offset { get; init; } = [0, 0, 0];
}

/// <summary>Where a muscle acts: wrist only, forearm to fingers, or inside the hand.</summary>
public enum MuscleGroup
{
    /// <summary>Acts on the wrist / forearm only (8 in MyoHand); inert while the wrist is locked.</summary>
    Wrist,
    /// <summary>Originates in the forearm and drives fingers or thumb.</summary>
    Extrinsic,
    /// <summary>Whole path inside the hand.</summary>
    Intrinsic,
}

/// <summary>A point a muscle path passes through, carried by one joint's frame.</summary>
public sealed record ViaPoint
{
    /// <summary>MANO joint whose frame carries the point.</summary>
    public int Joint { get; init; }
    /// <summary>Rest offset from that joint's centre, hand-frame axes (m).</summary>
    public double[] Offset { get; init; } = [0, 0, 0];
    /// <summary>Where the point came from (MyoHand site or a documented revision).</summary>
    public string Source { get; init; } = "";
}

/// <summary>The shape a muscle path wraps around.</summary>
public enum WrapKind
{
    Sphere,
    Cylinder,
}

/// <summary>
/// A wrap surface between Path[Segment] and Path[Segment + 1], with MuJoCo's semantics: the segment wraps only when
/// its straight line would cross the surface, or when it passes on the side away from the side point; it then runs
/// tangent to the circle (sphere: in the plane through the centre and both ends; cylinder: across its axis). A side
/// point within the surface's radius asks for MuJoCo's inside wrap instead: a segment that misses the circle bends to
/// touch it at one point.
/// </summary>
public sealed record WrapSpec
{
    /// <summary>Index k of the wrapped segment Path[k] .. Path[k + 1].</summary>
    public int Segment { get; init; }
    public WrapKind Kind { get; init; }
    /// <summary>MANO joint whose frame carries the surface.</summary>
    public int Joint { get; init; }
    /// <summary>Rest offset of the centre from that joint's centre, hand-frame axes (m).</summary>
    public double[] Center { get; init; } = [0, 0, 0];
    /// <summary>Cylinder axis at rest, hand-frame unit vector (ignored for spheres).</summary>
    public double[] Axis { get; init; } = [0, 0, 1];
    public double Radius { get; init; }
    /// <summary>Rest offset of the side point from the joint's centre (null: the shorter way round).</summary>
    public double[]? Side { get; init; }
    /// <summary>The MyoHand geom and side site it came from.</summary>
    public string Source { get; init; } = "";
}

/// <summary>MuJoCo-compatible Hill-type muscle (rigid tendon), with MyoHand's parameters.</summary>
public sealed record MuscleSpec
{
    public string Name { get; init; } = "";
    public MuscleGroup Group { get; init; }
    /// <summary>Peak isometric force F0 (N).</summary>
    public double MaxIsometricForce { get; init; }
    /// <summary>Actuator length range (m) that defines L0 and the tendon length (MuJoCo semantics).</summary>
    public double[] LengthRange { get; init; } = [0, 0];
    /// <summary>Operating range of the normalised fibre length, MuJoCo "range" (default 0.75..1.05).</summary>
    public double[] OperatingRange { get; init; } = [0.75, 1.05];
    public double LMin { get; init; } = 0.5;
    public double LMax { get; init; } = 1.6;
    public double VMax { get; init; } = 1.5;
    public double FpMax { get; init; } = 1.3;
    public double FvMax { get; init; } = 1.2;
    public double TauActivation { get; init; } = 0.01;
    public double TauDeactivation { get; init; } = 0.04;
    public ViaPoint[] Path { get; init; } = [];
    /// <summary>Wrap surfaces between consecutive via points (MuJoCo spatial-tendon semantics); none means straight segments.</summary>
    public WrapSpec[] Wraps { get; init; } = [];

    /// <summary>Optimal fibre length L0 = (lr1 - lr0) / (range1 - range0).</summary>
    [JsonIgnore]
    public double OptimalFiberLength => (LengthRange[1] - LengthRange[0]) / (OperatingRange[1] - OperatingRange[0]);

    /// <summary>Rigid tendon length LT = lr0 - range0 * L0.</summary>
    [JsonIgnore]
    public double TendonLength => LengthRange[0] - OperatingRange[0] * OptimalFiberLength;
}
