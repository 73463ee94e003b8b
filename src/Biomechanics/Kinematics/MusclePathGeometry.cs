using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Muscles.Wrapping;

namespace MsMano.Biomechanics.Kinematics;

/// <summary>Lengths and moment arms of every muscle at one pose.</summary>
/// <param name="Lengths">Path length per muscle (m).</param>
/// <param name="MomentArms">[muscle, dof] generalised force per unit tension (m per rad), equal to -dL/dq.</param>
public sealed record MuscleGeometry(double[] Lengths, double[,] MomentArms);

/// <summary>
/// Muscle path geometry (paper Eq. 1) with MuJoCo-style wrap surfaces (see <see cref="WrapSolver"/>). For a segment from a (on frame A) to b (on frame B), with
/// u = (a - b)/|a - b|, tension pulls b along u and a along -u. A dof of a joint that is an ancestor of B but not of A
/// gets axis . ((b - centre) x u); one that is an ancestor of A but not of B gets axis . ((a - centre) x (-u)). The axis is
/// the dof's current world hinge axis (see <see cref="HandKinematics.DofAxes"/>). Joint 0 (the fixed root) has no dof.
/// </summary>
public sealed class MusclePathGeometry
{
    private readonly HandKinematics _kinematics;
    // _ancestor[j, k]: joint k lies on the chain from the root to j, inclusive of j (k moves j's body).
    private readonly bool[,] _moves;

    public MusclePathGeometry(HandKinematics kinematics)
    {
        _kinematics = kinematics;
        _moves = new bool[HandModel.JointCount, HandModel.JointCount];
        for (int j = 0; j < HandModel.JointCount; j++)
        {
            for (int k = j; k >= 0; k = kinematics.Parent(k))
            {
                _moves[j, k] = true;
            }
        }
    }

    public MusclePathGeometry(HandModel model) : this(new HandKinematics(model))
    {
    }

    public HandModel Model => _kinematics.Model;

    /// <summary>True when a rotation of joint <paramref name="joint"/> moves the body of <paramref name="body"/>.</summary>
    public bool Moves(int joint, int body) => _moves[body, joint];

    public MuscleGeometry Evaluate(ReadOnlySpan<double> angles)
    {
        HandFrames frames = _kinematics.Forward(angles);
        var axes = new Vec3[HandModel.DofCount];
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            int d = (j - 1) * 3;
            (Vec3 f, Vec3 a, Vec3 t) = _kinematics.DofAxes(j, frames.Rotations[_kinematics.Parent(j)], angles[d], angles[d + 1]);
            axes[d] = f;
            axes[d + 1] = a;
            axes[d + 2] = t;
        }
        MuscleSpec[] muscles = Model.Muscles;
        double[] lengths = new double[muscles.Length];
        double[,] arms = new double[muscles.Length, HandModel.DofCount];
        var points = new List<(Vec3 Point, int Joint, bool ArcToNext)>();
        for (int m = 0; m < muscles.Length; m++)
        {
            // The path as straight pieces: via points, plus the two tangent points of each wrap that engages (they ride
            // on the wrap's frame; the arc between them adds length only).
            ViaPoint[] path = muscles[m].Path;
            WrapSpec[] wraps = muscles[m].Wraps ?? [];
            points.Clear();
            for (int k = 0; k < path.Length; k++)
            {
                Vec3 p = frames.Point(path[k].Joint, Vec3.From(path[k].Offset));
                if (k > 0 && Array.Find(wraps, w => w.Segment == k - 1) is { } wrap)
                {
                    Mat3 r = frames.Rotations[wrap.Joint];
                    var surface = new WrapSurface(wrap.Kind, frames.Point(wrap.Joint, Vec3.From(wrap.Center)), r * Vec3.From(wrap.Axis),
                        wrap.Radius, wrap.Side is null ? null : frames.Point(wrap.Joint, Vec3.From(wrap.Side)));
                    double arc = WrapSolver.Solve(surface, points[^1].Point, p, out Vec3 t0, out Vec3 t1);
                    if (arc >= 0)
                    {
                        lengths[m] += arc;
                        points.Add((t0, wrap.Joint, true));
                        points.Add((t1, wrap.Joint, false));
                    }
                }
                points.Add((p, path[k].Joint, false));
            }
            for (int k = 0; k + 1 < points.Count; k++)
            {
                (Vec3 a, int ja, bool arc) = points[k];
                (Vec3 b, int jb, _) = points[k + 1];
                if (arc)
                {
                    continue;
                }
                double len = (a - b).Norm();
                lengths[m] += len;
                if (ja == jb || len <= 0)
                {
                    continue;
                }
                Vec3 u = (a - b) / len;
                for (int j = 1; j < HandModel.JointCount; j++)
                {
                    bool movesA = _moves[ja, j], movesB = _moves[jb, j];
                    if (movesA == movesB)
                    {
                        continue;
                    }
                    Vec3 c = frames.Positions[j];
                    Vec3 lever = movesB ? (b - c).Cross(u) : (a - c).Cross(-u);
                    int d = (j - 1) * 3;
                    for (int axis = 0; axis < 3; axis++)
                    {
                        arms[m, d + axis] += axes[d + axis].Dot(lever);
                    }
                }
            }
        }
        return new MuscleGeometry(lengths, arms);
    }
}
