namespace MsMano.Biomechanics.Kinematics.Algebra;

/// <summary>A rotation quaternion (w, x, y, z), MuJoCo's and the model file's storage order.</summary>
public readonly record struct Quat(double W, double X, double Y, double Z)
{
    public static readonly Quat Identity = new(1, 0, 0, 0);

    /// <summary>Hamilton product: applying b first, then a (MuJoCo's frame composition parent * child).</summary>
    public static Quat operator *(Quat a, Quat b) => new(
        a.W * b.W - a.X * b.X - a.Y * b.Y - a.Z * b.Z,
        a.W * b.X + a.X * b.W + a.Y * b.Z - a.Z * b.Y,
        a.W * b.Y - a.X * b.Z + a.Y * b.W + a.Z * b.X,
        a.W * b.Z + a.X * b.Y - a.Y * b.X + a.Z * b.W);

    public double Norm() => Math.Sqrt(W * W + X * X + Y * Y + Z * Z);

    public Quat Normalized()
    {
        double n = Norm();
        if (!(n > 0))
        {
            throw new InvalidOperationException("Cannot normalise a zero quaternion.");
        }
        return new Quat(W / n, X / n, Y / n, Z / n);
    }

    public Quat Conjugate() => new(W, -X, -Y, -Z);

    public static Quat FromAxisAngle(Vec3 axis, double angle)
    {
        Vec3 u = axis.Normalized();
        double s = Math.Sin(0.5 * angle);
        return new Quat(Math.Cos(0.5 * angle), s * u.X, s * u.Y, s * u.Z);
    }

    /// <summary>exp of a rotation vector (axis · angle, radians); tiny angles keep first-order exactness.</summary>
    public static Quat FromRotationVector(double x, double y, double z)
    {
        double angle = Math.Sqrt(x * x + y * y + z * z);
        if (angle < 1e-12)
        {
            return new Quat(1, x / 2, y / 2, z / 2).Normalized();
        }
        double s = Math.Sin(angle / 2) / angle;
        return new Quat(Math.Cos(angle / 2), x * s, y * s, z * s);
    }

    /// <summary>log: the rotation vector with its angle in [0, π].</summary>
    public (double X, double Y, double Z) ToRotationVector()
    {
        Quat q = Canonical();
        double sinHalf = Math.Sqrt(q.X * q.X + q.Y * q.Y + q.Z * q.Z);
        if (sinHalf < 1e-12)
        {
            return (2 * q.X, 2 * q.Y, 2 * q.Z);
        }
        double k = 2 * Math.Atan2(sinHalf, q.W) / sinHalf;
        return (q.X * k, q.Y * k, q.Z * k);
    }

    /// <summary>Geodesic angle between two rotations (radians, 0..π).</summary>
    public static double Angle(Quat a, Quat b)
    {
        Quat d = a.Conjugate() * b;
        double sinHalf = Math.Sqrt(d.X * d.X + d.Y * d.Y + d.Z * d.Z);
        return 2 * Math.Atan2(sinHalf, Math.Abs(d.W));
    }

    public Vec3 Rotate(Vec3 v) => ToMatrix() * v;

    public Mat3 ToMatrix() => Mat3.FromQuat(this);

    public double[] ToArray() => [W, X, Y, Z];

    public static Quat From(IReadOnlyList<double> a) => new(a[0], a[1], a[2], a[3]);

    /// <summary>The same rotation with a non-negative scalar part (a canonical sign for files).</summary>
    public Quat Canonical() => W < 0 ? new Quat(-W, -X, -Y, -Z) : this;
}
