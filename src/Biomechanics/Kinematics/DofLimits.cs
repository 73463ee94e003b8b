using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Kinematics;

/// <summary>
/// Lower and upper limits of the 45 finger dofs (dof = 3 (joint - 1) + axis), optionally pulled inward by a margin so
/// that generated or fitted angles stay strictly inside the range. The margin is capped at a quarter of each range:
/// hinge joints have only ±0.035 rad on their off-axes, and a fixed margin would close those ranges.
/// </summary>
public sealed class DofLimits
{
    private readonly double[] _lower;
    private readonly double[] _upper;

    private DofLimits(double[] lower, double[] upper, double margin)
    {
        _lower = lower;
        _upper = upper;
        Margin = margin;
    }

    /// <summary>The margin asked for (rad); each dof applies at most a quarter of its range.</summary>
    public double Margin { get; }

    public static DofLimits Of(HandModel model, double margin = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(margin >= 0) || !double.IsFinite(margin))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The limit margin must be a finite number >= 0 (rad).");
        }
        if (model.Joints.Length != HandModel.JointCount)
        {
            throw new ArgumentException($"Expected {HandModel.JointCount} joints, the model has {model.Joints.Length}.", nameof(model));
        }
        double[] lower = new double[HandModel.DofCount];
        double[] upper = new double[HandModel.DofCount];
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            for (int a = 0; a < 3; a++)
            {
                double lo = model.Joints[j].LowerLimit[a], hi = model.Joints[j].UpperLimit[a];
                double m = Math.Min(margin, 0.25 * (hi - lo));
                lower[(j - 1) * 3 + a] = lo + m;
                upper[(j - 1) * 3 + a] = hi - m;
            }
        }
        return new DofLimits(lower, upper, margin);
    }

    public double Lower(int dof) => _lower[dof];

    public double Upper(int dof) => _upper[dof];

    public double Clamp(int dof, double value) => Math.Clamp(value, _lower[dof], _upper[dof]);

    public void Clamp(Span<double> angles)
    {
        Check(angles.Length);
        for (int d = 0; d < angles.Length; d++)
        {
            angles[d] = Math.Clamp(angles[d], _lower[d], _upper[d]);
        }
    }

    /// <summary>True when every angle lies within [lower, upper] (inclusive).</summary>
    public bool Contains(ReadOnlySpan<double> angles)
    {
        Check(angles.Length);
        for (int d = 0; d < angles.Length; d++)
        {
            if (!(angles[d] >= _lower[d] && angles[d] <= _upper[d]))
            {
                return false;
            }
        }
        return true;
    }

    private static void Check(int length)
    {
        if (length != HandModel.DofCount)
        {
            throw new ArgumentException($"Expected {HandModel.DofCount} joint angles, got {length}.");
        }
    }
}
