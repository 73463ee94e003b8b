using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.ModelFormats.Import;

/// <summary>MJCF's alternative orientation specifiers (quat, axisangle, euler, xyaxes, zaxis), at most one per element.</summary>
internal static class MjcfOrientation
{
    private static readonly string[] Specifiers = ["quat", "axisangle", "euler", "xyaxes", "zaxis"];

    public static Quat Read(MjcfElement e, MjcfCompilerSettings compiler)
    {
        string[] given = Specifiers.Where(e.HasExplicit).ToArray();
        if (given.Length > 1)
        {
            throw e.Error(given[1], e.Raw(given[1]), $"only one orientation specifier is allowed, found {string.Join(" and ", given)}.");
        }
        if (given.Length == 0)
        {
            return Quat.Identity;
        }
        string spec = given[0];
        switch (spec)
        {
            case "quat":
            {
                double[] q = e.Doubles("quat", 4, []);
                var quat = new Quat(q[0], q[1], q[2], q[3]);
                if (!(quat.Norm() > 0))
                {
                    throw e.Error("quat", e.Raw("quat"), "a zero quaternion is not a rotation.");
                }
                return quat.Normalized();
            }
            case "axisangle":
            {
                double[] a = e.Doubles("axisangle", 4, []);
                var axis = new Vec3(a[0], a[1], a[2]);
                if (!(axis.Norm() > 0))
                {
                    throw e.Error("axisangle", e.Raw("axisangle"), "the axis has zero length.");
                }
                return Quat.FromAxisAngle(axis, compiler.Angle(a[3]));
            }
            case "euler":
                return Euler(e.Doubles("euler", 3, []), compiler);
            case "xyaxes":
            {
                double[] a = e.Doubles("xyaxes", 6, []);
                var x = new Vec3(a[0], a[1], a[2]);
                var y = new Vec3(a[3], a[4], a[5]);
                if (!(x.Norm() > 0) || !(y.Norm() > 0) || !(x.Cross(y).Norm() > 1e-12 * x.Norm() * y.Norm()))
                {
                    throw e.Error("xyaxes", e.Raw("xyaxes"), "the two axes must be non-zero and not parallel.");
                }
                x = x.Normalized();
                y = (y - y.Dot(x) * x).Normalized();
                return Mat3.FromColumns(x, y, x.Cross(y)).ToQuat();
            }
            default:
            {
                double[] a = e.Doubles("zaxis", 3, []);
                var z = new Vec3(a[0], a[1], a[2]);
                if (!(z.Norm() > 0))
                {
                    throw e.Error("zaxis", e.Raw("zaxis"), "the axis has zero length.");
                }
                return MinimalRotationFromZ(z);
            }
        }
    }

    /// <summary>
    /// Euler angles per compiler eulerseq: a lower-case axis rotates about the moving (body) axis, so it is applied on the
    /// right; an upper-case axis rotates about the fixed axis, applied on the left.
    /// </summary>
    public static Quat Euler(double[] angles, MjcfCompilerSettings compiler)
    {
        Quat q = Quat.Identity;
        for (int i = 0; i < 3; i++)
        {
            char c = compiler.EulerSequence[i];
            Vec3 axis = char.ToLowerInvariant(c) switch
            {
                'x' => Vec3.UnitX,
                'y' => Vec3.UnitY,
                _ => Vec3.UnitZ,
            };
            var r = Quat.FromAxisAngle(axis, compiler.Angle(angles[i]));
            q = char.IsLower(c) ? q * r : r * q;
        }
        return q.Normalized();
    }

    /// <summary>The smallest rotation taking +z onto <paramref name="direction"/> (MJCF zaxis and fromto).</summary>
    public static Quat MinimalRotationFromZ(Vec3 direction)
    {
        Vec3 d = direction.Normalized();
        Vec3 axis = Vec3.UnitZ.Cross(d);
        double s = axis.Norm();
        if (s < 1e-12)
        {
            return d.Z > 0 ? Quat.Identity : new Quat(0, 1, 0, 0);
        }
        return Quat.FromAxisAngle(axis, Math.Atan2(s, d.Z));
    }
}
