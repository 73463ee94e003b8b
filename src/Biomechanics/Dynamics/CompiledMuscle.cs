using MsMano.Biomechanics.Model;

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
    /// <summary>Dofs this muscle produces force on, all in one chain, sorted.</summary>
    public required int[] Dofs { get; init; }
    /// <summary>The chain those dofs belong to, or -1 when the muscle crosses no modelled joint.</summary>
    public required int Chain { get; init; }

    public static CompiledMuscle Compile(MuscleSpec spec, HandModel model, HandPlant plant)
    {
        var path = spec.Path;
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

        int PointFor(int i)
        {
            if (!pointIndex.TryGetValue(i, out var idx))
            {
                idx = pointJoint.Count;
                pointIndex[i] = idx;
                pointJoint.Add(path[i].Joint);
                foreach (var o in path[i].Offset)
                {
                    pointOffset.Add((float)o);
                }
            }
            return idx;
        }

        for (int i = 0; i + 1 < path.Length; i++)
        {
            var a = path[i];
            var b = path[i + 1];
            if (a.Joint == b.Joint)
            {
                // Same rigid frame: the distance is a constant of the model.
                fixedLength += Distance(model.Joints[a.Joint].Position, a.Offset, model.Joints[b.Joint].Position, b.Offset);
                continue;
            }
            segA.Add(PointFor(i));
            segB.Add(PointFor(i + 1));
            var ancA = Ancestors(model, a.Joint);
            var ancB = Ancestors(model, b.Joint);
            foreach (var j in ancB)
            {
                if (j != 0 && !ancA.Contains(j))
                {
                    crossingJoint.Add(j);
                    crossingOnB.Add(true);
                    crossedJoints.Add(j);
                }
            }
            foreach (var j in ancA)
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

        int chain = -1;
        var dofs = new List<int>();
        foreach (var j in crossedJoints)
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
        var slots = crossingJoint.Select(j => dofs.IndexOf(plant.DofOf(j, 0))).ToArray();

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
            Dofs = dofs.ToArray(),
            Chain = chain,
        };
    }

    private static HashSet<int> Ancestors(HandModel model, int joint)
    {
        var set = new HashSet<int>();
        for (int j = joint; j >= 0; j = model.Joints[j].Parent)
        {
            set.Add(j);
        }
        return set;
    }

    private static double Distance(double[] ca, double[] oa, double[] cb, double[] ob)
    {
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            double d = (ca[k] + oa[k]) - (cb[k] + ob[k]);
            s += d * d;
        }
        return Math.Sqrt(s);
    }
}
