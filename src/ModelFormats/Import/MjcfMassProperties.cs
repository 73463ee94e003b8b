using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// Body mass properties as MuJoCo's compiler derives them: an explicit &lt;inertial&gt;, or (inertiafromgeom) the sum of
/// the body's primitive geoms at their density; then boundmass / boundinertia on the principal moments and
/// balanceinertia. Mesh geoms cannot contribute here (meshes are not shipped), so a body whose mass MuJoCo takes from a
/// mesh gets its primitive geoms only; the converter documents that placeholder.
/// </summary>
internal static class MjcfMassProperties
{
    public static MjcfInertial FromPrimitiveGeoms(IEnumerable<MjcfGeom> geoms, MjcfCompilerSettings compiler)
    {
        var parts = new List<(double Mass, Vec3 Com, Mat3 Inertia)>();
        foreach (MjcfGeom g in geoms)
        {
            if (g.Type is "mesh" or "plane" or "hfield" or "sdf")
            {
                continue;
            }
            (double volume, Mat3 unitInertia) = Shape(g);
            double mass = g.Mass ?? g.Density * volume;
            Mat3 r = g.LocalOrientation.ToMatrix();
            parts.Add((mass, g.LocalPosition, r * (mass * unitInertia) * r.Transpose()));
        }
        if (parts.Count == 0)
        {
            return Bound(new MjcfInertial(0, Vec3.Zero, Mat3.Zero, MjcfInertialSource.BoundsOnly), compiler);
        }
        return Bound(Combine(parts, MjcfInertialSource.PrimitiveGeoms), compiler);
    }

    public static MjcfInertial Combine(IReadOnlyList<(double Mass, Vec3 Com, Mat3 Inertia)> parts, MjcfInertialSource source)
    {
        double total = parts.Sum(p => p.Mass);
        Vec3 com = Vec3.Zero;
        if (total > 0)
        {
            foreach ((double Mass, Vec3 Com, Mat3 Inertia) p in parts)
            {
                com += p.Mass * p.Com;
            }
            com /= total;
        }
        Mat3 inertia = Mat3.Zero;
        foreach ((double Mass, Vec3 Com, Mat3 Inertia) p in parts)
        {
            inertia += p.Inertia + ParallelAxis(p.Mass, p.Com - com);
        }
        return new MjcfInertial(total, com, inertia, source);
    }

    /// <summary>Inertia of a point mass m at offset d: m (|d|^2 E - d d^T).</summary>
    public static Mat3 ParallelAxis(double mass, Vec3 d)
    {
        double dd = d.Dot(d);
        return mass * new Mat3(
            dd - d.X * d.X, -d.X * d.Y, -d.X * d.Z,
            -d.Y * d.X, dd - d.Y * d.Y, -d.Y * d.Z,
            -d.Z * d.X, -d.Z * d.Y, dd - d.Z * d.Z);
    }

    /// <summary>Applies boundmass, boundinertia (to principal moments) and balanceinertia, keeping principal axes.</summary>
    public static MjcfInertial Bound(MjcfInertial inertial, MjcfCompilerSettings compiler)
    {
        double mass = Math.Max(inertial.Mass, compiler.BoundMass);
        (Vec3 values, Mat3 axes) = inertial.Inertia.SymmetricEigen();
        double a = Math.Max(values.X, compiler.BoundInertia);
        double b = Math.Max(values.Y, compiler.BoundInertia);
        double c = Math.Max(values.Z, compiler.BoundInertia);
        if (compiler.BalanceInertia && (a + b < c || a + c < b || b + c < a))
        {
            double mean = (a + b + c) / 3;
            a = b = c = mean;
        }
        Mat3 bounded = axes * Mat3.Diagonal(a, b, c) * axes.Transpose();
        return inertial with { Mass = mass, Inertia = bounded };
    }

    /// <summary>Volume and inertia per unit mass about the geom centre, in the geom frame.</summary>
    private static (double Volume, Mat3 UnitInertia) Shape(MjcfGeom g)
    {
        double[] s = g.Size;
        double Need(int i) => i < s.Length
            ? s[i]
            : throw new MjcfException($"geom \"{g.Name}\" on body \"{g.Body}\": type {g.Type} needs {i + 1} size values, has {s.Length}.");
        switch (g.Type)
        {
            case "sphere":
            {
                double r = Need(0);
                return (4.0 / 3.0 * Math.PI * r * r * r, Mat3.Diagonal(0.4 * r * r, 0.4 * r * r, 0.4 * r * r));
            }
            case "cylinder":
            {
                double r = Need(0), h = Need(1);
                double side = (3 * r * r + 4 * h * h) / 12;
                return (Math.PI * r * r * 2 * h, Mat3.Diagonal(side, side, 0.5 * r * r));
            }
            case "capsule":
            {
                double r = Need(0), h = Need(1), length = 2 * h;
                double vCyl = Math.PI * r * r * length, vSph = 4.0 / 3.0 * Math.PI * r * r * r, v = vCyl + vSph;
                // Cylinder plus two hemispherical caps, each cap's parallel-axis offset included exactly.
                double side = (vCyl * (3 * r * r + length * length) / 12 + vSph * (0.4 * r * r + length * length / 4 + 3 * length * r / 8)) / v;
                double axial = (vCyl * 0.5 * r * r + vSph * 0.4 * r * r) / v;
                return (v, Mat3.Diagonal(side, side, axial));
            }
            case "ellipsoid":
            {
                double a = Need(0), b = Need(1), c = Need(2);
                return (4.0 / 3.0 * Math.PI * a * b * c, Mat3.Diagonal((b * b + c * c) / 5, (a * a + c * c) / 5, (a * a + b * b) / 5));
            }
            case "box":
            {
                double a = Need(0), b = Need(1), c = Need(2);
                return (8 * a * b * c, Mat3.Diagonal((b * b + c * c) / 3, (a * a + c * c) / 3, (a * a + b * b) / 3));
            }
            default:
                throw new MjcfException($"geom \"{g.Name}\" on body \"{g.Body}\": type \"{g.Type}\" has no mass model here.");
        }
    }
}
