namespace MsMano.ModelFormats.Import;

/// <summary>How one MyoHand hinge joint supplies an anatomical axis of a MANO joint.</summary>
/// <param name="Joint">MyoHand joint name.</param>
/// <param name="Flip">True when the MyoHand positive direction is the anatomical negative one (thumb flexion).</param>
internal sealed record MyoAxisSource(string Joint, bool Flip);

/// <summary>One MANO joint of the default hand and the MyoHand data it is built from (paper Eq. 2).</summary>
internal sealed record MyoJointGroup(
    string Name,
    int Parent,
    string[] MassBodies,
    string[] CentreBodies,
    MyoAxisSource? Flexion,
    MyoAxisSource? Abduction);

/// <summary>
/// The MyoHand -> MANO mapping tables (data, not code paths). Angles in radians.
///
/// Joint centres (paper Eq. 2): the centre of MANO joint j is the mean of the origins of its bone group O_j. For the
/// wrist (joint 0) O_0 is the eight carpal bones (lunate, scaphoid, pisiform, triquetrum, capitate, trapezium,
/// trapezoid, hamate); its mass group adds the four metacarpals 2-5, which MyoHand welds to the carpus (the palm is one
/// rigid segment). Finger and thumb groups are single bones whose origin is the MyoHand joint anchor.
///
/// Axes: x = the MyoHand flexion hinge, signed so that POSITIVE = FLEXION for every joint. MyoHand's thumb flexes
/// negatively (FPL drives mp_flexion and ip_flexion negative), so those axes are flipped. At the thumb CMC, MyoHand's
/// oblique "cmc_abduction" hinge moves the first metacarpal across the palm toward the little finger when negative
/// (OP and FPL drive it negative, EPL and EPB positive): that is the classical CMC flexion-extension, so the flexion
/// axis is -cmc_abduction. MyoHand's "cmc_flexion" moves the thumb out of the palm plane (palmar abduction; APL drives
/// it positive, EPL negative) and becomes the abduction axis (not flipped). Finger MCPs keep MyoHand's sign: positive
/// abduction = radial (toward the thumb).
///
/// Non-perpendicular hinges: MyoHand's two hinges of a joint are not exactly perpendicular (the MCPs by about 3 deg, the
/// thumb CMC's by 9: they are 99 deg apart). The frame keeps the flexion hinge as x and orthogonalises y, and the
/// abduction hinge itself goes into <c>JointSpec.AbductionAxis</c>, so both hinges, their order and their angles are
/// MyoHand's exactly. (Orthogonalising either thumb hinge instead moved the thumb's moment arms by up to 1.4 mm and the
/// co-activation worst joint by tens of degrees.)
///
/// Axes MyoHand does not have (twist everywhere, abduction at PIP, DIP, thumb MP and IP) get the range [0, 0]: the soft
/// limit holds them at 0, so the hand moves on MyoHand's 23 hinges only. (They had small passive ranges, twist +-5 deg at
/// the MCPs and CMC and +-2 deg of play at the hinges; that freedom let the relaxed hand settle 3.1 deg away from MuJoCo's
/// and cost 5 single muscles and a third of the co-activation agreement.)
/// </summary>
internal static class MyoHandMapping
{
    /// <summary>The range of an axis MyoHand does not have (see above): held at 0.</summary>
    public static readonly double[] AbsentAxisRange = [0, 0];

    public static readonly string[] CarpalBones =
        ["lunate", "scaphoid", "pisiform", "triquetrum", "capitate", "trapezium", "trapezoid", "hamate"];

    public static readonly string[] PalmBones =
        [.. CarpalBones, "secondmc", "thirdmc", "fourthmc", "fifthmc"];

    /// <summary>The root body of the hand frame: the lunate (the wrist joints' body) at qpos0.</summary>
    public const string HandFrameBody = "lunate";

    /// <summary>MyoHand wrist hinges, kept on joint 0 for an unlocked wrist (x = flexion, y = deviation, z = -pro_sup).</summary>
    public const string WristFlexion = "flexion";
    public const string WristDeviation = "deviation";
    public const string ForearmRotation = "pro_sup";

    public static readonly MyoJointGroup[] Groups =
    [
        new("wrist", -1, PalmBones, CarpalBones, null, null),
        Mcp("index1", 0, "proxph2", 2),
        Hinge("index2", 1, "midph2", "pm2_flexion"),
        Hinge("index3", 2, "distph2", "md2_flexion"),
        Mcp("middle1", 0, "proxph3", 3),
        Hinge("middle2", 4, "midph3", "pm3_flexion"),
        Hinge("middle3", 5, "distph3", "md3_flexion"),
        Mcp("pinky1", 0, "proxph5", 5),
        Hinge("pinky2", 7, "midph5", "pm5_flexion"),
        Hinge("pinky3", 8, "distph5", "md5_flexion"),
        Mcp("ring1", 0, "proxph4", 4),
        Hinge("ring2", 10, "midph4", "pm4_flexion"),
        Hinge("ring3", 11, "distph4", "md4_flexion"),
        new("thumb1", 0, ["firstmc"], ["firstmc"], new("cmc_abduction", Flip: true), new("cmc_flexion", Flip: false)),
        new("thumb2", 13, ["proximal_thumb"], ["proximal_thumb"], new("mp_flexion", Flip: true), null),
        new("thumb3", 14, ["distal_thumb"], ["distal_thumb"], new("ip_flexion", Flip: true), null),
    ];

    /// <summary>Fingertip sites in the model's tip order (thumb, index, middle, ring, little) and their MANO joints.</summary>
    public static readonly (string Site, int Joint)[] Tips =
        [("THtip", 15), ("IFtip", 3), ("MFtip", 6), ("RFtip", 12), ("LFtip", 9)];

    /// <summary>
    /// The model dof a MyoHand finger/thumb hinge became: MANO joint, axis (0 flexion, 1 abduction) and the sign
    /// relating the two angles (model angle = Sign * MyoHand angle, exactly: the hinges are MyoHand's). Null for wrist/forearm hinges.
    /// </summary>
    public static (int Joint, int Axis, int Sign)? DofOf(string myoJoint)
    {
        for (int j = 1; j < Groups.Length; j++)
        {
            if (Groups[j].Flexion?.Joint == myoJoint)
            {
                return (j, 0, Groups[j].Flexion!.Flip ? -1 : 1);
            }
            if (Groups[j].Abduction?.Joint == myoJoint)
            {
                return (j, 1, Groups[j].Abduction!.Flip ? -1 : 1);
            }
        }
        return null;
    }

    private static MyoJointGroup Mcp(string name, int parent, string body, int digit) =>
        new(name, parent, [body], [body], new($"mcp{digit}_flexion", false), new($"mcp{digit}_abduction", false));

    private static MyoJointGroup Hinge(string name, int parent, string body, string joint) =>
        new(name, parent, [body], [body], new(joint, false), null);
}
