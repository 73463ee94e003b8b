using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Tests.Dynamics;

/// <summary>Small hand-built models with known analytic behaviour.</summary>
internal static class TestModels
{
    public static JointSpec Root() => new()
    {
        Name = "root",
        Parent = -1,
        Body = new BodySpec { Mass = 0.1, Inertia = [1e-4, 1e-4, 1e-4, 0, 0, 0] },
    };

    /// <summary>
    /// One rigid link hanging from a fixed pivot: a point-like mass <paramref name="mass"/> at distance
    /// <paramref name="length"/> along -y, a small inertia about its CoM, no damping, no armature.
    /// </summary>
    public static HandModel Pendulum(double mass, double length, double inertia, double[] gravity)
    {
        var link = new JointSpec
        {
            Name = "link",
            Parent = 0,
            Position = [0, 0, 0],
            Frame = [1, 0, 0, 0],
            LowerLimit = [-10, -10, -10],
            UpperLimit = [10, 10, 10],
            Damping = [0, 0, 0],
            Armature = [0, 0, 0],
            Body = new BodySpec { Mass = mass, CenterOfMass = [0, -length, 0], Inertia = [inertia, inertia, inertia, 0, 0, 0] },
        };
        return new HandModel { Name = "pendulum", Gravity = gravity, Joints = [Root(), link] };
    }
}
