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

    /// <summary>
    /// A three-joint finger-like chain with MyoHand-like masses, limits wide open, no damping; <paramref name="skewDegrees"/>
    /// tilts every abduction hinge toward flexion (MyoHand's thumb CMC hinges are 9 deg from perpendicular).
    /// </summary>
    public static HandModel Chain(double[] gravity, double damping = 0, double armature = 1e-4, double limit = 3, double skewDegrees = 0)
    {
        var joints = new List<JointSpec> { Root() };
        double[] lengths = [0.045, 0.025, 0.018];
        double[] masses = [0.01, 0.003, 0.002];
        double y = 0;
        for (int i = 0; i < 3; i++)
        {
            joints.Add(new JointSpec
            {
                Name = $"j{i + 1}",
                Parent = i,
                Position = [0, y, 0],
                // A slightly tilted frame so that all three axes carry load.
                Frame = [0.99, 0.1, 0.05, 0.02],
                AbductionAxis = [Math.Sin(skewDegrees * Math.PI / 180), Math.Cos(skewDegrees * Math.PI / 180), 0],
                LowerLimit = [-limit, -limit, -limit],
                UpperLimit = [limit, limit, limit],
                Damping = [damping, damping, damping],
                Armature = [armature, armature, armature],
                Body = new BodySpec { Mass = masses[i], CenterOfMass = [0.001, -lengths[i] / 2, 0.002], Inertia = [2e-6, 1e-6, 2e-6, 1e-7, 0, 0] },
            });
            y -= lengths[i];
        }
        return new HandModel { Name = "chain", Gravity = gravity, Joints = joints.ToArray() };
    }
}
