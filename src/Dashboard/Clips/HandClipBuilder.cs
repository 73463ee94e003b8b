using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.Dashboard.Clips;

/// <summary>
/// Turns joint angles (45 per frame, the simulator's dofs) into clip layers: forward kinematics for the 16 joints and
/// 5 tips, and each listed muscle's via points placed on their joints (paper Eq. 2-5). Millimetres, rounded to 0.01.
/// </summary>
public sealed class HandClipBuilder
{
    private readonly HandKinematics _kinematics;
    private readonly MuscleSpec[] _muscles;

    /// <param name="model">The hand.</param>
    /// <param name="muscleNames">Muscles to draw (e.g. the simulated ones); their order is the activation order.</param>
    public HandClipBuilder(HandModel model, IReadOnlyList<string> muscleNames)
    {
        _kinematics = new HandKinematics(model);
        _muscles = muscleNames.Select(n => model.Muscles.FirstOrDefault(m => m.Name == n)
            ?? throw new ArgumentException($"the hand model has no muscle '{n}'", nameof(muscleNames))).ToArray();
        Model = model;
    }

    public HandModel Model { get; }

    public HandKinematics Kinematics => _kinematics;

    public IReadOnlyList<ClipMuscle> Muscles => _muscles.Select(m => new ClipMuscle(m.Name, m.Path.Length)).ToList();

    /// <summary>16 joints by model name, then the 5 tips as "&lt;finger&gt;_tip"; bones from each joint to its parent and each tip to its joint.</summary>
    public ClipSkeleton Skeleton()
    {
        var names = Model.Joints.Select(j => j.Name).Concat(Model.Tips.Select(t => t.Name + "_tip")).ToList();
        var bones = new List<int[]>();
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            bones.Add([Model.Joints[j].Parent, j]);
        }
        for (int t = 0; t < HandModel.TipCount; t++)
        {
            bones.Add([Model.Tips[t].Joint, HandModel.JointCount + t]);
        }
        return new ClipSkeleton(names, bones);
    }

    /// <summary>Skeleton points of one frame (21 x 3, mm).</summary>
    public float[] Points(ReadOnlySpan<double> angles, Vec3? rootRotation = null)
    {
        HandFrames frames = Forward(angles, rootRotation);
        float[] points = new float[(HandModel.JointCount + HandModel.TipCount) * 3];
        for (int j = 0; j < HandModel.JointCount; j++)
        {
            Put(points, j, frames.Positions[j]);
        }
        for (int t = 0; t < HandModel.TipCount; t++)
        {
            TipSpec tip = Model.Tips[t];
            Put(points, HandModel.JointCount + t, frames.Point(tip.Joint, Vec3.From(tip.Offset)));
        }
        return points;
    }

    /// <summary>Every listed muscle's via points of one frame, concatenated (mm).</summary>
    public float[] MusclePoints(ReadOnlySpan<double> angles, Vec3? rootRotation = null)
    {
        HandFrames frames = Forward(angles, rootRotation);
        float[] points = new float[_muscles.Sum(m => m.Path.Length) * 3];
        int k = 0;
        foreach (MuscleSpec muscle in _muscles)
        {
            foreach (ViaPoint via in muscle.Path)
            {
                Put(points, k++, frames.Point(via.Joint, Vec3.From(via.Offset)));
            }
        }
        return points;
    }

    /// <summary>A layer from per-frame angles; muscles drawn when <paramref name="withMuscles"/>, coloured when activations are given.</summary>
    public ClipLayer Layer(string name, string role, IReadOnlyList<double[]> angles, IReadOnlyList<Vec3>? rootRotations = null, bool withMuscles = false, IReadOnlyList<float[]>? activations = null)
    {
        var points = new List<float[]>(angles.Count);
        List<float[]>? muscles = withMuscles ? new List<float[]>(angles.Count) : null;
        for (int f = 0; f < angles.Count; f++)
        {
            Vec3? root = rootRotations?[f];
            points.Add(Points(angles[f], root));
            muscles?.Add(MusclePoints(angles[f], root));
        }
        return new ClipLayer(name, role, points, muscles, activations?.Select(a => a.Select(x => Round(Math.Clamp(x, 0f, 1f), 1000)).ToArray()).ToList());
    }

    private HandFrames Forward(ReadOnlySpan<double> angles, Vec3? rootRotation)
    {
        return _kinematics.Forward(angles, rootRotation is { } r ? Mat3.Exp(r) : null);
    }

    private static void Put(float[] points, int index, Vec3 p)
    {
        points[index * 3] = Round((float)(p.X * 1000), 100);
        points[(index * 3) + 1] = Round((float)(p.Y * 1000), 100);
        points[(index * 3) + 2] = Round((float)(p.Z * 1000), 100);
    }

    private static float Round(float value, float scale) => MathF.Round(value * scale) / scale;
}
