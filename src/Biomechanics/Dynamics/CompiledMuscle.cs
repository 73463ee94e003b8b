using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Muscles.Wrapping;

namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// One muscle prepared for the step kernel: segments between via points on the same rigid frame are folded into
/// a constant length, so only segments that cross joints are evaluated per step (paper Eq. 1 applies to those).
/// </summary>
internal sealed class CompiledMuscle
{
    public required string Name { get; init; }
    public required MuscleGroup Group { get; init; }
    public required float F0 { get; init; }
    public required float L0 { get; init; }
    public required float TendonLength { get; init; }
    public required float LMin { get; init; }
    public required float LMax { get; init; }
    public required float VMax { get; init; }
    public required float FpMax { get; init; }
    public required float FvMax { get; init; }
    public required float TauActivation { get; init; }
    public required float TauDeactivation { get; init; }
    /// <summary>Length of the segments that never change (both ends on one rigid frame).</summary>
    public required float FixedLength { get; init; }

    /// <summary>
    /// Points: the via points used by moving segments (PointJoint.Length of them), then two tangent points per wrap,
    /// recomputed every step (wrap w writes points PointJoint.Length + 2w and + 2w + 1; an anchored wrap only the one
    /// its moving segment uses).
    /// </summary>
    public int PointCount => PointJoint.Length + 2 * WrapJoint.Length;
    /// <summary>Joint carrying each point used by a moving segment.</summary>
    public required int[] PointJoint { get; init; }
    /// <summary>Rest offsets of those points from their joint centres (3 per point).</summary>
    public required float[] PointOffset { get; init; }
    public required int[] SegmentA { get; init; }
    public required int[] SegmentB { get; init; }
    /// <summary>Crossings of segment s are CrossingStart[s] .. CrossingStart[s+1]-1.</summary>
    public required int[] CrossingStart { get; init; }
    public required int[] CrossingJoint { get; init; }
    /// <summary>True when the crossed joint lies on the B side (the force acts at point B), false for side A.</summary>
    public required bool[] CrossingOnB { get; init; }
    /// <summary>Slot in <see cref="Dofs"/> of the crossed joint's flexion axis (its three axes are consecutive).</summary>
    public required int[] CrossingSlot { get; init; }
    /// <summary>
    /// Per moving wrap (struct of arrays): the ends of the wrapped segment as point indices (-1 for an end that is
    /// anchored on the wrap's frame: it needs no world position), the wrap's joint, which end is anchored, the anchored
    /// end's rest offset (3 per wrap; zeros for <see cref="WrapAnchor.None"/>) and the surface in its joint's frame.
    /// </summary>
    public required int[] WrapA { get; init; }
    public required int[] WrapB { get; init; }
    public required int[] WrapJoint { get; init; }
    public required WrapAnchor[] WrapAnchorEnd { get; init; }
    public required float[] WrapAnchorOffset { get; init; }
    public required WrapShape[] WrapShapes { get; init; }
    /// <summary>Dofs this muscle produces force on, all in one chain, sorted.</summary>
    public required int[] Dofs { get; init; }
    /// <summary>The chain those dofs belong to, or -1 when the muscle crosses no modelled joint.</summary>
    public required int Chain { get; init; }
    /// <summary>
    /// Entry of the chain's 9x9 block (lower triangle) for each pair of <see cref="Dofs"/> slots a ≥ b, in the order
    /// a = 0.., b = 0..a: where the fibre damping's G Gᵀ lands, found once instead of per substep.
    /// </summary>
    public required int[] BlockSlots { get; init; }

    public static CompiledMuscle Compile(MuscleSpec spec, HandModel model, HandPlant plant)
    {
        ViaPoint[] path = spec.Path;
        string where = $"Muscles[{spec.Name}]";
        if (path.Length < 2)
        {
            throw new ArgumentException($"{where}.Path has {path.Length} via points; a muscle needs at least 2.");
        }
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i].Joint < 0 || path[i].Joint >= model.Joints.Length)
            {
                throw new ArgumentException($"{where}.Path[{i}].Joint is {path[i].Joint}; the model has {model.Joints.Length} joints.");
            }
            if (path[i].Offset.Length != 3)
            {
                throw new ArgumentException($"{where}.Path[{i}].Offset has {path[i].Offset.Length} numbers; expected 3.");
            }
        }
        if (!(spec.MaxIsometricForce > 0))
        {
            throw new ArgumentException($"{where}.MaxIsometricForce is {spec.MaxIsometricForce}; it must be positive.");
        }
        if (!(spec.OptimalFiberLength > 0))
        {
            throw new ArgumentException($"{where}.LengthRange [{string.Join(", ", spec.LengthRange)}] gives optimal fibre length {spec.OptimalFiberLength}; it must be positive.");
        }

        double fixedLength = 0;
        var pointIndex = new Dictionary<int, int>();
        var pointJoint = new List<int>();
        var pointOffset = new List<float>();
        var segA = new List<int>();
        var segB = new List<int>();
        var crossingStart = new List<int> { 0 };
        var crossingJoint = new List<int>();
        var crossingOnB = new List<bool>();
        var crossedJoints = new SortedSet<int>();
        var movingWraps = new List<(WrapSpec Spec, int A, int B, WrapAnchor Anchor, double[] AnchorOffset)>();
        // Tangent points get their final indices once the via points are counted: coded as -1 - k until then.
        const int TangentCode = -1;

        int PointFor(int i)
        {
            if (!pointIndex.TryGetValue(i, out int idx))
            {
                idx = pointJoint.Count;
                pointIndex[i] = idx;
                pointJoint.Add(path[i].Joint);
                foreach (double o in path[i].Offset)
                {
                    pointOffset.Add((float)o);
                }
            }
            return idx;
        }

        void AddSegment(int pointA, int jointA, int pointB, int jointB)
        {
            segA.Add(pointA);
            segB.Add(pointB);
            HashSet<int> ancA = Ancestors(model, jointA);
            HashSet<int> ancB = Ancestors(model, jointB);
            foreach (int j in ancB)
            {
                if (j != 0 && !ancA.Contains(j))
                {
                    crossingJoint.Add(j);
                    crossingOnB.Add(true);
                    crossedJoints.Add(j);
                }
            }
            foreach (int j in ancA)
            {
                if (j != 0 && !ancB.Contains(j))
                {
                    crossingJoint.Add(j);
                    crossingOnB.Add(false);
                    crossedJoints.Add(j);
                }
            }
            crossingStart.Add(crossingJoint.Count);
        }

        WrapSpec[] wraps = spec.Wraps ?? [];
        for (int i = 0; i + 1 < path.Length; i++)
        {
            ViaPoint a = path[i];
            ViaPoint b = path[i + 1];
            WrapSpec? wrap = wraps.FirstOrDefault(w => w.Segment == i);
            if (wrap is not null && (wrap.Joint < 0 || wrap.Joint >= model.Joints.Length))
            {
                throw new ArgumentException($"{where}.Wraps[segment {i}].Joint is {wrap.Joint}; the model has {model.Joints.Length} joints.");
            }
            if (a.Joint == b.Joint && (wrap is null || wrap.Joint == a.Joint))
            {
                // Same rigid frame: the distance (wrapped or not) is a constant of the model.
                Vec3 pa = RestPoint(model, a.Joint, a.Offset), pb = RestPoint(model, b.Joint, b.Offset);
                fixedLength += wrap is null ? (pa - pb).Norm() : WrapSolver.Length(RestSurface(model, wrap), pa, pb);
                continue;
            }
            if (wrap is null)
            {
                AddSegment(PointFor(i), a.Joint, PointFor(i + 1), b.Joint);
                continue;
            }
            // With one end on the wrap's own frame (every MyoHand wrap: the surface rides on the segment's first body),
            // that end's straight piece and the arc are rigid between wrap solves: they become a length, not a segment,
            // and the other piece keeps exactly the straight segment's crossings.
            WrapAnchor anchor = wrap.Joint == a.Joint ? WrapAnchor.A : wrap.Joint == b.Joint ? WrapAnchor.B : WrapAnchor.None;
            int k = movingWraps.Count;
            movingWraps.Add((wrap, anchor == WrapAnchor.A ? -1 : PointFor(i), anchor == WrapAnchor.B ? -1 : PointFor(i + 1), anchor,
                anchor == WrapAnchor.A ? a.Offset : anchor == WrapAnchor.B ? b.Offset : [0, 0, 0]));
            if (anchor != WrapAnchor.A)
            {
                AddSegment(PointFor(i), a.Joint, TangentCode - 2 * k, wrap.Joint);
            }
            if (anchor != WrapAnchor.B)
            {
                AddSegment(TangentCode - 2 * k - 1, wrap.Joint, PointFor(i + 1), b.Joint);
            }
        }
        int fixedPoints = pointJoint.Count;
        int Resolve(int p) => p >= 0 ? p : fixedPoints + (TangentCode - p);
        for (int sg = 0; sg < segA.Count; sg++)
        {
            segA[sg] = Resolve(segA[sg]);
            segB[sg] = Resolve(segB[sg]);
        }

        int chain = -1;
        var dofs = new List<int>();
        foreach (int j in crossedJoints)
        {
            int c = plant.ChainOfJoint[j];
            if (chain >= 0 && c != chain)
            {
                throw new ArgumentException($"{where} crosses joints of two chains ({chain} and {c}); the implicit muscle damping assumes one.");
            }
            chain = c;
            for (int axis = 0; axis < 3; axis++)
            {
                dofs.Add(plant.DofOf(j, axis));
            }
        }
        int[] slots = crossingJoint.Select(j => dofs.IndexOf(plant.DofOf(j, 0))).ToArray();

        return new CompiledMuscle
        {
            Name = spec.Name,
            Group = spec.Group,
            F0 = (float)spec.MaxIsometricForce,
            L0 = (float)spec.OptimalFiberLength,
            TendonLength = (float)spec.TendonLength,
            LMin = (float)spec.LMin,
            LMax = (float)spec.LMax,
            VMax = (float)spec.VMax,
            FpMax = (float)spec.FpMax,
            FvMax = (float)spec.FvMax,
            TauActivation = (float)spec.TauActivation,
            TauDeactivation = (float)spec.TauDeactivation,
            FixedLength = (float)fixedLength,
            PointJoint = pointJoint.ToArray(),
            PointOffset = pointOffset.ToArray(),
            SegmentA = segA.ToArray(),
            SegmentB = segB.ToArray(),
            CrossingStart = crossingStart.ToArray(),
            CrossingJoint = crossingJoint.ToArray(),
            CrossingOnB = crossingOnB.ToArray(),
            CrossingSlot = slots,
            WrapA = movingWraps.Select(w => w.A).ToArray(),
            WrapB = movingWraps.Select(w => w.B).ToArray(),
            WrapJoint = movingWraps.Select(w => w.Spec.Joint).ToArray(),
            WrapAnchorEnd = movingWraps.Select(w => w.Anchor).ToArray(),
            WrapAnchorOffset = movingWraps.SelectMany(w => w.AnchorOffset.Select(x => (float)x)).ToArray(),
            WrapShapes = movingWraps.Select(w => Shape(w.Spec)).ToArray(),
            Dofs = dofs.ToArray(),
            BlockSlots = BlockSlotsOf(dofs, plant),
            Chain = chain,
        };
    }

    private static Vec3 RestPoint(HandModel model, int joint, double[] offset) => Vec3.From(model.Joints[joint].Position) + Vec3.From(offset);

    /// <summary>A wrap surface at the rest pose (every frame at identity), in hand-frame coordinates.</summary>
    internal static WrapSurface RestSurface(HandModel model, WrapSpec wrap) => new(
        wrap.Kind,
        RestPoint(model, wrap.Joint, wrap.Center),
        Vec3.From(wrap.Axis).Normalized(),
        wrap.Radius,
        wrap.Side is null ? null : RestPoint(model, wrap.Joint, wrap.Side));

    /// <summary>The surface in its joint's frame: the model's rest offsets are coordinates in that frame.</summary>
    private static WrapShape Shape(WrapSpec wrap) => new(
        wrap.Kind == WrapKind.Sphere, wrap.Radius, Vec3.From(wrap.Center), wrap.Side is null ? null : Vec3.From(wrap.Side), Vec3.From(wrap.Axis));

    private static HashSet<int> Ancestors(HandModel model, int joint)
    {
        var set = new HashSet<int>();
        for (int j = joint; j >= 0; j = model.Joints[j].Parent)
        {
            set.Add(j);
        }
        return set;
    }

    private static int[] BlockSlotsOf(IReadOnlyList<int> dofs, HandPlant plant)
    {
        int Local(int dof) => 3 * plant.IndexInChain[dof / 3 + 1] + dof % 3;
        var slots = new List<int>();
        for (int a = 0; a < dofs.Count; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                int la = Local(dofs[a]), lb = Local(dofs[b]);
                slots.Add(Math.Max(la, lb) * HandPlant.MaxChainDofs + Math.Min(la, lb));
            }
        }
        return slots.ToArray();
    }
}
