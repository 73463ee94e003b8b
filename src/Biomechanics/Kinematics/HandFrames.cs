using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Biomechanics.Kinematics;

/// <summary>World rotation and position of every MANO joint for one pose (forward kinematics result).</summary>
public sealed class HandFrames
{
    public HandFrames(Mat3[] rotations, Vec3[] positions)
    {
        Rotations = rotations;
        Positions = positions;
    }

    /// <summary>Rw_j: world orientation of the body distal to joint j.</summary>
    public Mat3[] Rotations { get; }

    /// <summary>x_j: world position of joint j's centre.</summary>
    public Vec3[] Positions { get; }

    /// <summary>World position of a point attached to joint j with rest offset o: x_j + Rw_j o.</summary>
    public Vec3 Point(int joint, Vec3 offset) => Positions[joint] + Rotations[joint] * offset;
}
