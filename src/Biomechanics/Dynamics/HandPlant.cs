using MsMano.Biomechanics.Contacts;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// The hand compiled for simulation: every constant the step kernels read, in float, flattened.
/// Built once from a <see cref="HandModel"/> (any number of joints, as long as the tree is a root with chains of
/// at most <see cref="MaxChainJoints"/> 3-DOF joints hanging from it, as MANO's is).
/// </summary>
public sealed class HandPlant
{
    public const int MaxChainJoints = 3;
    public const int MaxChainDofs = 3 * MaxChainJoints;

    public HandModel Model { get; }
    public int JointCount { get; }
    public int DofCount => 3 * (JointCount - 1);
    public int MuscleCount => Muscles.Length;
    /// <summary>Skin-contact pairs the step tests (0 for a model without contacts).</summary>
    public int ContactPairCount => Contacts.PairCount;

    // Per joint (index 0 is the root).
    internal readonly int[] Parent;
    /// <summary>Rest centre of joint j minus rest centre of its parent (hand frame).</summary>
    internal readonly float[] ParentOffset;
    internal readonly float[] RootPosition;
    /// <summary>Anatomical frame A_j, 9 floats column-major.</summary>
    internal readonly float[] Frame;
    /// <summary>The abduction hinge in the anatomical frame (x, y; z is 0), 2 floats per joint; x ≠ 0 where it is skewed.</summary>
    internal readonly float[] AbductionAxis;
    internal readonly float[] Mass;
    internal readonly float[] CenterOfMass;
    /// <summary>Inertia about the CoM at rest, xx yy zz xy xz yz.</summary>
    internal readonly float[] Inertia;

    // Per dof.
    internal readonly float[] Lower;
    internal readonly float[] Upper;
    internal readonly float[] Damping;
    internal readonly float[] Armature;

    /// <summary>Chains of joints hanging from the root, each ordered outward.</summary>
    internal readonly int[][] Chains;
    internal readonly int[] ChainOfJoint;
    internal readonly int[] IndexInChain;

    internal readonly float[] Gravity;
    internal readonly CompiledMuscle[] Muscles;
    /// <summary>Skin capsules and the pairs that can touch (empty when the model has none).</summary>
    internal readonly CompiledContacts Contacts;

    /// <summary>Soft joint-limit stiffness per dof (N m / rad) beyond a limit.</summary>
    internal readonly float[] LimitK;
    /// <summary>Joint-limit damping per dof (N m s / rad) while a limit is violated.</summary>
    internal readonly float[] LimitB;
    /// <summary>Inertia (1/R, kg m²) a dof's limit row adds while it pushes: MuJoCo's constraint resists a push at once.</summary>
    internal readonly float[] LimitInertia;
    /// <summary>Dofs whose range is one angle (the axes MyoHand lacks): MuJoCo has no such dof, so an implicit spring-damper holds them.</summary>
    internal readonly bool[] Locked;

    /// <summary>How soft the joint limits are (MuJoCo's solref/solimp).</summary>
    public JointLimitSoftness LimitSoftness { get; }
    public ReadOnlySpan<float> LimitStiffness => LimitK;
    public ReadOnlySpan<float> LimitDamping => LimitB;

    public IReadOnlyList<string> MuscleNames { get; }
    /// <summary>Lower joint limit per dof (rad).</summary>
    public ReadOnlySpan<float> LowerLimits => Lower;
    /// <summary>Upper joint limit per dof (rad).</summary>
    public ReadOnlySpan<float> UpperLimits => Upper;
    public IReadOnlyList<string> DofNames { get; }

    public HandPlant(HandModel model, JointLimitSoftness? limitSoftness = null, bool includeInertMuscles = false)
    {
        Model = model;
        JointSpec[] joints = model.Joints;
        JointCount = joints.Length;
        if (JointCount < 2)
        {
            throw new ArgumentException($"Model '{model.Name}': Joints has {JointCount} entries; at least a root and one joint are needed.", nameof(model));
        }
        LimitSoftness = limitSoftness ?? JointLimitSoftness.MuJoCoDefault;

        Parent = new int[JointCount];
        ParentOffset = new float[3 * JointCount];
        Frame = new float[9 * JointCount];
        AbductionAxis = new float[2 * JointCount];
        Mass = new float[JointCount];
        CenterOfMass = new float[3 * JointCount];
        Inertia = new float[6 * JointCount];
        RootPosition = ToFloats(joints[0].Position, 3, "Joints[0].Position");
        for (int j = 0; j < JointCount; j++)
        {
            JointSpec spec = joints[j];
            Parent[j] = spec.Parent;
            if (j == 0 && spec.Parent != -1)
            {
                throw new ArgumentException($"Joints[0].Parent is {spec.Parent}; the root must have parent -1.", nameof(model));
            }
            if (j > 0 && (spec.Parent < 0 || spec.Parent >= j))
            {
                throw new ArgumentException($"Joints[{j}].Parent is {spec.Parent}; parents must precede their children.", nameof(model));
            }
            if (j > 0)
            {
                double[] p = joints[spec.Parent].Position;
                for (int a = 0; a < 3; a++)
                {
                    ParentOffset[3 * j + a] = (float)(spec.Position[a] - p[a]);
                }
            }
            float[] frame = QuaternionToColumns(spec.Frame, $"Joints[{j}].Frame");
            Array.Copy(frame, 0, Frame, 9 * j, 9);
            double[] u = spec.AbductionAxis;
            AbductionAxis[2 * j] = (float)u[0];
            AbductionAxis[2 * j + 1] = (float)u[1];
            Mass[j] = (float)spec.Body.Mass;
            Array.Copy(ToFloats(spec.Body.CenterOfMass, 3, $"Joints[{j}].Body.CenterOfMass"), 0, CenterOfMass, 3 * j, 3);
            Array.Copy(ToFloats(spec.Body.Inertia, 6, $"Joints[{j}].Body.Inertia"), 0, Inertia, 6 * j, 6);
        }

        int dofs = DofCount;
        Lower = new float[dofs];
        Upper = new float[dofs];
        Damping = new float[dofs];
        Armature = new float[dofs];
        string[] dofNames = new string[dofs];
        string[] axisNames = ["flex", "abd", "twist"];
        for (int j = 1; j < JointCount; j++)
        {
            JointSpec spec = joints[j];
            for (int a = 0; a < 3; a++)
            {
                int d = 3 * (j - 1) + a;
                Lower[d] = (float)spec.LowerLimit[a];
                Upper[d] = (float)spec.UpperLimit[a];
                Damping[d] = (float)spec.Damping[a];
                Armature[d] = (float)spec.Armature[a];
                dofNames[d] = $"{spec.Name}.{axisNames[a]}";
                if (!(Lower[d] <= Upper[d]))
                {
                    throw new ArgumentException($"Joints[{j}] ({spec.Name}) axis {axisNames[a]}: LowerLimit {Lower[d]} exceeds UpperLimit {Upper[d]}.", nameof(model));
                }
            }
        }
        DofNames = dofNames;

        // Chains: children of the root, followed outward; each joint may have at most one child (MANO's shape).
        var children = new List<int>[JointCount];
        for (int j = 0; j < JointCount; j++)
        {
            children[j] = [];
        }
        for (int j = 1; j < JointCount; j++)
        {
            children[Parent[j]].Add(j);
        }
        ChainOfJoint = new int[JointCount];
        IndexInChain = new int[JointCount];
        ChainOfJoint[0] = -1;
        var chains = new List<int[]>();
        foreach (int start in children[0])
        {
            var chain = new List<int>();
            int current = start;
            while (true)
            {
                chain.Add(current);
                if (children[current].Count > 1)
                {
                    throw new ArgumentException($"Joint {current} ({joints[current].Name}) has {children[current].Count} children; only chains from the root are supported.", nameof(model));
                }
                if (children[current].Count == 0)
                {
                    break;
                }
                current = children[current][0];
            }
            if (chain.Count > MaxChainJoints)
            {
                throw new ArgumentException($"Chain starting at joint {start} has {chain.Count} joints; at most {MaxChainJoints} are supported.", nameof(model));
            }
            for (int i = 0; i < chain.Count; i++)
            {
                ChainOfJoint[chain[i]] = chains.Count;
                IndexInChain[chain[i]] = i;
            }
            chains.Add(chain.ToArray());
        }
        Chains = chains.ToArray();

        Gravity = ToFloats(model.Gravity, 3, "Gravity");

        var compiled = new List<CompiledMuscle>();
        foreach (MuscleSpec muscle in model.Muscles)
        {
            var c = CompiledMuscle.Compile(muscle, model, this);
            if (includeInertMuscles || c.Dofs.Length > 0)
            {
                compiled.Add(c);
            }
        }
        Muscles = compiled.ToArray();
        MuscleNames = Muscles.Select(m => m.Name).ToArray();
        // One rest-pose inertia serves both: MuJoCo's dof_invweight0 for the limits, body_invweight0 for the contacts.
        Locked = Enumerable.Range(0, DofCount).Select(d => Upper[d] <= Lower[d]).ToArray();
        var rest = new RestInertia(this);
        (LimitK, LimitB, LimitInertia) = LimitSoftness.PerDof(this, rest);
        Contacts = new CompiledContacts(this, model.Contacts ?? new ContactSpec(), rest);
    }

    public int DofOf(int joint, int axis) => 3 * (joint - 1) + axis;

    /// <summary>Index of a joint by name (e.g. "ring2"); throws naming the known joints.</summary>
    public int JointIndex(string name)
    {
        int index = Array.FindIndex(Model.Joints, j => string.Equals(j.Name, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new ArgumentException($"Joint '{name}' is not in model '{Model.Name}'; known joints: {string.Join(", ", Model.Joints.Select(j => j.Name))}.", nameof(name));
        }
        return index;
    }

    /// <summary>Dof of one anatomical axis (0 flexion, 1 abduction, 2 twist) of a named joint.</summary>
    public int DofOf(string joint, int axis) => DofOf(JointIndex(joint), axis);

    /// <summary>Index of a simulated muscle by name; throws naming the simulated muscles.</summary>
    public int MuscleIndex(string name)
    {
        for (int m = 0; m < Muscles.Length; m++)
        {
            if (string.Equals(Muscles[m].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }
        throw new ArgumentException($"Muscle '{name}' is not simulated; known muscles: {string.Join(", ", MuscleNames)}.", nameof(name));
    }

    private static float[] ToFloats(double[] values, int count, string field)
    {
        if (values.Length != count)
        {
            throw new ArgumentException($"{field} has {values.Length} numbers; expected {count}.");
        }
        float[] result = new float[count];
        for (int i = 0; i < count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{field}[{i}] is {values[i]}; it must be finite.");
            }
            result[i] = (float)values[i];
        }
        return result;
    }

    /// <summary>Rotation matrix columns (column-major, 9 floats) of a w,x,y,z quaternion, normalised.</summary>
    internal static float[] QuaternionToColumns(double[] q, string field)
    {
        if (q.Length != 4)
        {
            throw new ArgumentException($"{field} has {q.Length} numbers; expected a quaternion (w, x, y, z).");
        }
        double n = Math.Sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        if (!(n > 1e-9) || !double.IsFinite(n))
        {
            throw new ArgumentException($"{field} = [{string.Join(", ", q)}] is not a valid rotation.");
        }
        double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
        return
        [
            (float)(1 - 2 * (y * y + z * z)), (float)(2 * (x * y + w * z)), (float)(2 * (x * z - w * y)),
            (float)(2 * (x * y - w * z)), (float)(1 - 2 * (x * x + z * z)), (float)(2 * (y * z + w * x)),
            (float)(2 * (x * z + w * y)), (float)(2 * (y * z - w * x)), (float)(1 - 2 * (x * x + y * y)),
        ];
    }
}
