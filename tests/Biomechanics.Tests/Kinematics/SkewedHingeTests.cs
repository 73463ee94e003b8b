using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Tests.Kinematics;

/// <summary>
/// Joints whose abduction hinge is not perpendicular to flexion (the shipped hand's thumb CMC, 9 deg off, and index MCP,
/// 2.7 deg off): the step's kinematics, the scalar reference and the hinge axes the dynamics use all agree.
/// </summary>
public sealed class SkewedHingeTests
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly HandKinematics Kin = new(Model);
    private const int Thumb = 13, Index = 1;

    [Fact]
    public void The_shipped_hand_has_skewed_hinges_at_the_thumb_cmc_and_the_index_mcp()
    {
        Assert.InRange(Math.Asin(Model.Joints[Thumb].AbductionAxis[0]) * 180 / Math.PI, 8, 10);
        Assert.InRange(Math.Abs(Math.Asin(Model.Joints[Index].AbductionAxis[0]) * 180 / Math.PI), 2, 3.5);
        Assert.Equal(2, Model.Joints.Count(j => j.AbductionAxis[0] != 0));
    }

    [Fact]
    public void The_step_places_every_joint_where_the_scalar_kinematics_does()
    {
        var plant = new HandPlant(Model);
        var w = new StepKernel<Lane1>.Workspace(plant);
        var rng = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            double[] q = HandKinematicsTests.RandomAngles(rng, Model);
            for (int d = 0; d < q.Length; d++)
            {
                w.Q[d] = new Lane1((float)q[d]);
            }
            StepKernel<Lane1>.ForwardKinematics(plant, w);
            HandFrames reference = Kin.Forward(q);
            for (int j = 1; j < HandModel.JointCount; j++)
            {
                Vec3 p = reference.Positions[j];
                Assert.True(Math.Abs(w.Pos[j].X.V - p.X) + Math.Abs(w.Pos[j].Y.V - p.Y) + Math.Abs(w.Pos[j].Z.V - p.Z) < 1e-5, $"trial {trial}, joint {j}");
                Mat3 r = reference.Rotations[j];
                Assert.True(Math.Abs(w.Rot[j].C0.X.V - r.M00) + Math.Abs(w.Rot[j].C1.Y.V - r.M11) + Math.Abs(w.Rot[j].C2.Z.V - r.M22)
                    + Math.Abs(w.Rot[j].C0.Z.V - r.M20) + Math.Abs(w.Rot[j].C2.X.V - r.M02) < 1e-5, $"trial {trial}, joint {j} rotation");
                (Vec3 flexion, Vec3 abduction, Vec3 twist) = Kin.DofAxes(j, reference.Rotations[Model.Joints[j].Parent], q[3 * (j - 1)], q[3 * (j - 1) + 1]);
                Vec3[] axes = [flexion, abduction, twist];
                for (int a = 0; a < 3; a++)
                {
                    Vec3<Lane1> s = w.Axis[3 * (j - 1) + a];
                    Assert.True(Math.Abs(s.X.V - axes[a].X) + Math.Abs(s.Y.V - axes[a].Y) + Math.Abs(s.Z.V - axes[a].Z) < 1e-5, $"trial {trial}, joint {j}, axis {a}");
                }
            }
        }
    }

    [Theory]
    [InlineData(Thumb)]
    [InlineData(Index)]
    public void Each_hinge_axis_is_the_derivative_of_the_joint_rotation(int joint)
    {
        var rng = new Random(joint);
        for (int trial = 0; trial < 10; trial++)
        {
            double[] q = HandKinematicsTests.RandomAngles(rng, Model, margin: 0.05);
            HandFrames f = Kin.Forward(q);
            (Vec3 flexion, Vec3 abduction, Vec3 twist) = Kin.DofAxes(joint, f.Rotations[Kin.Parent(joint)], q[3 * (joint - 1)], q[3 * (joint - 1) + 1]);
            Vec3[] axes = [flexion, abduction, twist];
            for (int a = 0; a < 3; a++)
            {
                const double h = 1e-6;
                double[] plus = (double[])q.Clone(), minus = (double[])q.Clone();
                plus[3 * (joint - 1) + a] += h;
                minus[3 * (joint - 1) + a] -= h;
                // dR/dq R^T = [axis]x: its (2,1), (0,2), (1,0) entries are the axis.
                Mat3 dr = (1 / (2 * h)) * (Kin.Forward(plus).Rotations[joint] + (-1.0 * Kin.Forward(minus).Rotations[joint]));
                Mat3 s = dr * f.Rotations[joint].Transpose();
                var numeric = new Vec3(s.M21, s.M02, s.M10);
                Assert.True((numeric - axes[a]).Norm() < 1e-6, $"joint {joint} axis {a}: numeric {numeric}, kinematics {axes[a]}");
            }
        }
    }
}
