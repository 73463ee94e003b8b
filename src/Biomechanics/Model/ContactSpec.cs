namespace MsMano.Biomechanics.Model;

/// <summary>
/// Skin contacts (MuJoCo semantics): capsules carried by joints, the pairs that may touch, and MuJoCo's soft-contact
/// parameters. A pair pushes once its surfaces are closer than <see cref="Margin"/>; the normal force is MuJoCo's soft
/// constraint as a spring-damper (see <c>Contacts.ContactSoftness</c>). No geoms means no contacts.
/// </summary>
public sealed record ContactSpec
{
    /// <summary>Distance (m) below which a pair is in contact (MuJoCo geom margin; gap 0).</summary>
    public double Margin { get; init; } = 0.001;
    /// <summary>MuJoCo solref: time constant (s) and damping ratio.</summary>
    public double[] SolRef { get; init; } = [0.02, 1];
    /// <summary>MuJoCo solimp: dmin, dmax, width (m); midpoint and power keep MuJoCo's defaults (0.5, 2).</summary>
    public double[] SolImp { get; init; } = [0.9, 0.95, 0.001];
    /// <summary>Sliding friction coefficient (MuJoCo friction[0]): a tangential drag capped at friction x normal force, as MuJoCo's soft pyramid behaves.</summary>
    public double Friction { get; init; } = 1;
    public ContactGeomSpec[] Geoms { get; init; } = [];
    /// <summary>Geom index pairs that can touch; the converter keeps only those that come within the margin somewhere in the joint ranges.</summary>
    public ContactPairSpec[] Pairs { get; init; } = [];
}

/// <summary>A capsule (a sphere when both ends coincide) carried by one joint's frame.</summary>
public sealed record ContactGeomSpec
{
    public string Name { get; init; } = "";
    /// <summary>MANO joint whose frame carries the capsule.</summary>
    public int Joint { get; init; }
    /// <summary>Rest offset of one end of the axis from the joint's centre, hand-frame axes (m).</summary>
    public double[] From { get; init; } = [0, 0, 0];
    /// <summary>Rest offset of the other end of the axis (m).</summary>
    public double[] To { get; init; } = [0, 0, 0];
    public double Radius { get; init; }
    /// <summary>
    /// MuJoCo's body_invweight0 (translation, 1/kg) of the source body, the contact's diagonal approximation. MuJoCo takes it
    /// from the whole model's mass matrix (MyoHand's wrist and forearm hinges included, even when held), so the converter
    /// computes it from the MJCF; 0 lets the plant compute it from the hand alone.
    /// </summary>
    public double InverseWeight { get; init; }
    /// <summary>The MyoHand geom (and body) it came from, and how it was approximated.</summary>
    public string Source { get; init; } = "";
}

/// <summary>Two geoms (indices into <see cref="ContactSpec.Geoms"/>) that may touch.</summary>
public sealed record ContactPairSpec
{
    public int A { get; init; }
    public int B { get; init; }
}
