using System.Globalization;

namespace MsMano.Biomechanics.Model;

/// <summary>The invariants of a <see cref="HandModel"/> (format, topology, numbers, references).</summary>
public static partial class HandModelValidation
{
    /// <summary>MANO's kinematic tree.</summary>
    public static readonly int[] ManoParents = [-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14];

    private const double UnitTolerance = 1e-6;

    public static void Validate(HandModel model, string source)
    {
        var v = new Checker(source);
        if (model.Format != HandModel.FormatName)
        {
            v.Fail("$.format", model.Format, $"expected \"{HandModel.FormatName}\"");
        }
        if (model.Version != HandModel.CurrentVersion)
        {
            v.Fail("$.version", model.Version, $"this build reads version {HandModel.CurrentVersion}");
        }
        v.Vector("$.gravity", model.Gravity, 3);
        v.NotNull("$.joints", model.Joints);
        if (model.Joints.Length != HandModel.JointCount)
        {
            v.Fail("$.joints", $"{model.Joints.Length} entries", $"expected {HandModel.JointCount} (MANO joints)");
        }
        for (int j = 0; j < model.Joints.Length; j++)
        {
            ValidateJoint(v, model.Joints[j], j);
        }
        v.NotNull("$.tips", model.Tips);
        if (model.Tips.Length != HandModel.TipCount)
        {
            v.Fail("$.tips", $"{model.Tips.Length} entries", $"expected {HandModel.TipCount} (thumb, index, middle, ring, little)");
        }
        for (int t = 0; t < model.Tips.Length; t++)
        {
            string p = $"$.tips[{t}]";
            TipSpec tip = v.NotNull(p, model.Tips[t]);
            v.JointIndex($"{p}.joint", tip.Joint);
            v.Vector($"{p}.offset", tip.Offset, 3);
        }
        v.NotNull("$.muscles", model.Muscles);
        var names = new HashSet<string>();
        for (int m = 0; m < model.Muscles.Length; m++)
        {
            MuscleSpec muscle = v.NotNull($"$.muscles[{m}]", model.Muscles[m]);
            if (!names.Add(muscle.Name ?? ""))
            {
                v.Fail($"$.muscles[{m}].name", muscle.Name, "duplicate or missing muscle name");
            }
            ValidateMuscle(v, muscle, $"$.muscles[{m}]");
        }
        ValidateContacts(v, model.Contacts);
    }

    private static void ValidateJoint(Checker v, JointSpec joint, int j)
    {
        string p = $"$.joints[{j}]";
        v.NotNull(p, joint);
        if (joint.Parent != ManoParents[j])
        {
            v.Fail($"{p}.parent", joint.Parent, $"MANO topology needs parent {ManoParents[j]}");
        }
        v.Vector($"{p}.position", joint.Position, 3);
        v.UnitQuaternion($"{p}.frame", joint.Frame);
        v.Vector($"{p}.abductionAxis", joint.AbductionAxis, 3);
        double[] u = joint.AbductionAxis;
        // In the flexion-abduction plane (the twist axis stays perpendicular to it) and within 45 deg of perpendicular to flexion.
        if (Math.Abs(Math.Sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]) - 1) > UnitTolerance || Math.Abs(u[2]) > UnitTolerance || u[1] < Math.Sqrt(0.5))
        {
            v.Fail($"{p}.abductionAxis", string.Join(", ", u.Select(F)), "must be a unit vector with z = 0 and y >= cos 45 deg (the abduction hinge in the joint's anatomical frame)");
        }
        v.Vector($"{p}.lowerLimit", joint.LowerLimit, 3);
        v.Vector($"{p}.upperLimit", joint.UpperLimit, 3);
        for (int a = 0; a < 3; a++)
        {
            if (joint.LowerLimit[a] > joint.UpperLimit[a])
            {
                v.Fail($"{p}.lowerLimit[{a}]", joint.LowerLimit[a], $"exceeds upperLimit[{a}] = {F(joint.UpperLimit[a])}");
            }
        }
        v.NonNegative($"{p}.damping", joint.Damping, 3);
        v.NonNegative($"{p}.armature", joint.Armature, 3);
        v.NonNegative($"{p}.inverseWeight", joint.InverseWeight, 3);
        BodySpec body = v.NotNull($"{p}.body", joint.Body);
        if (!double.IsFinite(body.Mass) || body.Mass <= 0)
        {
            v.Fail($"{p}.body.mass", body.Mass, "must be a positive finite number");
        }
        v.Vector($"{p}.body.centerOfMass", body.CenterOfMass, 3);
        v.Vector($"{p}.body.inertia", body.Inertia, 6);
        double[] i = body.Inertia;
        if (i[0] <= 0 || i[1] <= 0 || i[2] <= 0 || i[0] + i[1] < i[2] * (1 - 1e-9) || i[0] + i[2] < i[1] * (1 - 1e-9) || i[1] + i[2] < i[0] * (1 - 1e-9))
        {
            v.Fail($"{p}.body.inertia", string.Join(", ", i.Select(F)), "diagonal must be positive and satisfy the triangle inequality");
        }
        v.NotNull($"{p}.sourceBodies", joint.SourceBodies);
    }

    private static void ValidateMuscle(Checker v, MuscleSpec m, string p)
    {
        if (!Enum.IsDefined(m.Group))
        {
            v.Fail($"{p}.group", m.Group, "unknown muscle group");
        }
        if (!double.IsFinite(m.MaxIsometricForce) || m.MaxIsometricForce <= 0)
        {
            v.Fail($"{p}.maxIsometricForce", m.MaxIsometricForce, "F0 must be positive");
        }
        v.Vector($"{p}.lengthRange", m.LengthRange, 2);
        if (!(m.LengthRange[0] > 0) || !(m.LengthRange[1] > m.LengthRange[0]))
        {
            v.Fail($"{p}.lengthRange", $"[{F(m.LengthRange[0])}, {F(m.LengthRange[1])}]", "must be positive and increasing");
        }
        v.Vector($"{p}.operatingRange", m.OperatingRange, 2);
        if (!(m.OperatingRange[1] > m.OperatingRange[0]))
        {
            v.Fail($"{p}.operatingRange", $"[{F(m.OperatingRange[0])}, {F(m.OperatingRange[1])}]", "must be increasing");
        }
        if (!(m.LMin > 0 && m.LMin < 1 && m.LMax > 1))
        {
            v.Fail($"{p}.lMin/lMax", $"{F(m.LMin)}/{F(m.LMax)}", "need 0 < lMin < 1 < lMax");
        }
        v.Positive($"{p}.vMax", m.VMax);
        v.Positive($"{p}.fpMax", m.FpMax);
        if (!(m.FvMax > 1) || !double.IsFinite(m.FvMax))
        {
            v.Fail($"{p}.fvMax", m.FvMax, "must exceed 1");
        }
        v.Positive($"{p}.tauActivation", m.TauActivation);
        v.Positive($"{p}.tauDeactivation", m.TauDeactivation);
        v.NotNull($"{p}.path", m.Path);
        if (m.Path.Length < 2)
        {
            v.Fail($"{p}.path", $"{m.Path.Length} points", "a muscle path needs at least two via points");
        }
        for (int k = 0; k < m.Path.Length; k++)
        {
            ViaPoint via = v.NotNull($"{p}.path[{k}]", m.Path[k]);
            v.JointIndex($"{p}.path[{k}].joint", via.Joint);
            v.Vector($"{p}.path[{k}].offset", via.Offset, 3);
        }
        v.NotNull($"{p}.wraps", m.Wraps);
        for (int k = 0; k < m.Wraps.Length; k++)
        {
            WrapSpec wrap = v.NotNull($"{p}.wraps[{k}]", m.Wraps[k]);
            string w = $"{p}.wraps[{k}]";
            if (wrap.Segment < 0 || wrap.Segment + 1 >= m.Path.Length)
            {
                v.Fail($"{w}.segment", wrap.Segment, $"must name a segment of the {m.Path.Length}-point path");
            }
            if (k > 0 && wrap.Segment <= m.Wraps[k - 1].Segment)
            {
                v.Fail($"{w}.segment", wrap.Segment, "wraps must be in path order, one per segment");
            }
            v.JointIndex($"{w}.joint", wrap.Joint);
            v.Vector($"{w}.center", wrap.Center, 3);
            v.Vector($"{w}.axis", wrap.Axis, 3);
            double axisNorm = Math.Sqrt(wrap.Axis.Sum(a => a * a));
            if (Math.Abs(axisNorm - 1) > 1e-6)
            {
                v.Fail($"{w}.axis", $"length {F(axisNorm)}", "must be a unit vector");
            }
            v.Positive($"{w}.radius", wrap.Radius);
            if (wrap.Side is not null)
            {
                v.Vector($"{w}.side", wrap.Side, 3);
            }
        }
    }

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Checker(string source)
    {
        public void Fail(string path, object? value, string problem)
        {
            string shown = value switch
            {
                null => "null",
                double d => F(d),
                string s => $"\"{s}\"",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            throw new HandModelException($"{source}: {path} = {shown}: {problem}.");
        }

        public T NotNull<T>(string path, T? value) where T : class
        {
            if (value is null)
            {
                Fail(path, null, "is required");
            }
            return value!;
        }

        public void Vector(string path, double[]? values, int length)
        {
            if (values is null || values.Length != length)
            {
                Fail(path, values is null ? null : $"{values.Length} numbers", $"expected {length} numbers");
            }
            for (int i = 0; i < length; i++)
            {
                if (!double.IsFinite(values![i]))
                {
                    Fail($"{path}[{i}]", values[i], "must be finite");
                }
            }
        }

        public void NonNegative(string path, double[]? values, int length)
        {
            Vector(path, values, length);
            for (int i = 0; i < length; i++)
            {
                if (values![i] < 0)
                {
                    Fail($"{path}[{i}]", values[i], "must not be negative");
                }
            }
        }

        public void NonNegative(string path, double value)
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                Fail(path, value, "must be finite and not negative");
            }
        }

        public void Positive(string path, double value)
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                Fail(path, value, "must be positive");
            }
        }

        public void UnitQuaternion(string path, double[]? q)
        {
            Vector(path, q, 4);
            double n = Math.Sqrt(q![0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
            if (Math.Abs(n - 1) > UnitTolerance)
            {
                Fail(path, $"norm {F(n)}", "must be a unit quaternion (w, x, y, z)");
            }
        }

        public void JointIndex(string path, int joint)
        {
            if (joint < 0 || joint >= HandModel.JointCount)
            {
                Fail(path, joint, $"joint index must be in 0..{HandModel.JointCount - 1}");
            }
        }
    }
}
