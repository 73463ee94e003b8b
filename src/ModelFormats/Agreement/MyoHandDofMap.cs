using MsMano.Biomechanics.Dynamics;
using MsMano.ModelFormats.Import;

namespace MsMano.ModelFormats.Agreement;

/// <summary>
/// Each MyoHand finger hinge as a model dof, with the converter's sign (model angle = Sign x MyoHand angle: the model
/// keeps MyoHand's hinges, non-perpendicular ones included).
/// </summary>
public sealed class MyoHandDofMap
{
    private readonly Dictionary<string, (int Dof, int Sign)> _map = new();

    public MyoHandDofMap(HandPlant plant, IEnumerable<string> myoJoints)
    {
        foreach (string joint in myoJoints)
        {
            (int Joint, int Axis, int Sign) dof = MyoHandMapping.DofOf(joint)
                ?? throw new InvalidDataException($"MyoHand joint {joint} has no finger dof in the converter's map");
            _map[joint] = (plant.DofOf(dof.Joint, dof.Axis), dof.Sign);
        }
    }

    public int Dof(string myoJoint) => _map[myoJoint].Dof;

    public int Sign(string myoJoint) => _map[myoJoint].Sign;

    /// <summary>A model angle (rad) in MyoHand's coordinates (deg).</summary>
    public double ToMyoDegrees(string myoJoint, float modelRadians) => _map[myoJoint].Sign * modelRadians * (180 / Math.PI);
}
