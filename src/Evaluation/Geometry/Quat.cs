namespace MsMano.Evaluation.Geometry;

/// <summary>A unit quaternion (w, x, y, z) in double precision, used to compose axis-angle rotations exactly.</summary>
public readonly record struct Quat(double W, double X, double Y, double Z)
{
    public static readonly Quat Identity = new(1, 0, 0, 0);

    /// <summary>exp of an axis-angle vector (axis · angle, radians).</summary>
    public static Quat FromAxisAngle(double x, double y, double z)
    {
        var angle = Math.Sqrt((x * x) + (y * y) + (z * z));
        if (angle < 1e-12)
        {
            // First-order expansion keeps tiny rotations exact to double precision.
            return new Quat(1, x / 2, y / 2, z / 2).Normalized();
        }

        var s = Math.Sin(angle / 2) / angle;
        return new Quat(Math.Cos(angle / 2), x * s, y * s, z * s);
    }

    /// <summary>Rotation by <paramref name="angle"/> about the unit vector (ax, ay, az).</summary>
    public static Quat FromAxis(double ax, double ay, double az, double angle)
    {
        var n = Math.Sqrt((ax * ax) + (ay * ay) + (az * az));
        return FromAxisAngle(ax / n * angle, ay / n * angle, az / n * angle);
    }

    /// <summary>log: the axis-angle vector with angle in [0, π].</summary>
    public (double X, double Y, double Z) ToAxisAngle()
    {
        var q = W < 0 ? new Quat(-W, -X, -Y, -Z) : this;
        var sinHalf = Math.Sqrt((q.X * q.X) + (q.Y * q.Y) + (q.Z * q.Z));
        if (sinHalf < 1e-12)
        {
            return (2 * q.X, 2 * q.Y, 2 * q.Z);
        }

        var angle = 2 * Math.Atan2(sinHalf, q.W);
        var k = angle / sinHalf;
        return (q.X * k, q.Y * k, q.Z * k);
    }

    public static Quat operator *(Quat a, Quat b) => new(
        (a.W * b.W) - (a.X * b.X) - (a.Y * b.Y) - (a.Z * b.Z),
        (a.W * b.X) + (a.X * b.W) + (a.Y * b.Z) - (a.Z * b.Y),
        (a.W * b.Y) - (a.X * b.Z) + (a.Y * b.W) + (a.Z * b.X),
        (a.W * b.Z) + (a.X * b.Y) - (a.Y * b.X) + (a.Z * b.W));

    public Quat Conjugate => new(W, -X, -Y, -Z);

    public Quat Normalized()
    {
        var n = Math.Sqrt((W * W) + (X * X) + (Y * Y) + (Z * Z));
        return new Quat(W / n, X / n, Y / n, Z / n);
    }

    /// <summary>Geodesic angle between two rotations (radians, 0..π).</summary>
    public static double Angle(Quat a, Quat b)
    {
        var d = a.Conjugate * b;
        var sinHalf = Math.Sqrt((d.X * d.X) + (d.Y * d.Y) + (d.Z * d.Z));
        return 2 * Math.Atan2(sinHalf, Math.Abs(d.W));
    }
}
