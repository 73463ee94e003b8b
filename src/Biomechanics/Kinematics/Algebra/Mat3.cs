namespace MsMano.Biomechanics.Kinematics.Algebra;

/// <summary>A 3x3 matrix, row-major (Mij = row i, column j).</summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    public static readonly Mat3 Identity = new(1, 0, 0, 0, 1, 0, 0, 0, 1);
    public static readonly Mat3 Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public double this[int row, int col] => (row * 3 + col) switch
    {
        0 => M00, 1 => M01, 2 => M02,
        3 => M10, 4 => M11, 5 => M12,
        6 => M20, 7 => M21, 8 => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {col}) is outside a 3x3 matrix."),
    };

    public static Mat3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) => new(
        c0.X, c1.X, c2.X,
        c0.Y, c1.Y, c2.Y,
        c0.Z, c1.Z, c2.Z);

    public Vec3 Column(int j) => new(this[0, j], this[1, j], this[2, j]);

    public Vec3 Row(int i) => new(this[i, 0], this[i, 1], this[i, 2]);

    public static Mat3 Diagonal(double a, double b, double c) => new(a, 0, 0, 0, b, 0, 0, 0, c);

    /// <summary>Symmetric matrix from xx, yy, zz, xy, xz, yz (MuJoCo fullinertia order).</summary>
    public static Mat3 Symmetric(double xx, double yy, double zz, double xy, double xz, double yz) =>
        new(xx, xy, xz, xy, yy, yz, xz, yz, zz);

    public static Mat3 operator *(Mat3 a, Mat3 b)
    {
        return new Mat3(
            a.M00 * b.M00 + a.M01 * b.M10 + a.M02 * b.M20,
            a.M00 * b.M01 + a.M01 * b.M11 + a.M02 * b.M21,
            a.M00 * b.M02 + a.M01 * b.M12 + a.M02 * b.M22,
            a.M10 * b.M00 + a.M11 * b.M10 + a.M12 * b.M20,
            a.M10 * b.M01 + a.M11 * b.M11 + a.M12 * b.M21,
            a.M10 * b.M02 + a.M11 * b.M12 + a.M12 * b.M22,
            a.M20 * b.M00 + a.M21 * b.M10 + a.M22 * b.M20,
            a.M20 * b.M01 + a.M21 * b.M11 + a.M22 * b.M21,
            a.M20 * b.M02 + a.M21 * b.M12 + a.M22 * b.M22);
    }

    public static Vec3 operator *(Mat3 a, Vec3 v) => new(
        a.M00 * v.X + a.M01 * v.Y + a.M02 * v.Z,
        a.M10 * v.X + a.M11 * v.Y + a.M12 * v.Z,
        a.M20 * v.X + a.M21 * v.Y + a.M22 * v.Z);

    public static Mat3 operator +(Mat3 a, Mat3 b) => new(
        a.M00 + b.M00, a.M01 + b.M01, a.M02 + b.M02,
        a.M10 + b.M10, a.M11 + b.M11, a.M12 + b.M12,
        a.M20 + b.M20, a.M21 + b.M21, a.M22 + b.M22);

    public static Mat3 operator *(double s, Mat3 a) => new(
        s * a.M00, s * a.M01, s * a.M02,
        s * a.M10, s * a.M11, s * a.M12,
        s * a.M20, s * a.M21, s * a.M22);

    public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    public double Trace() => M00 + M11 + M22;

    public double Determinant() =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    public static Mat3 FromQuat(Quat q)
    {
        Quat u = q.Normalized();
        double w = u.W, x = u.X, y = u.Y, z = u.Z;
        return new Mat3(
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y));
    }

    /// <summary>Quaternion of a rotation matrix (Shepperd's method, stable for every angle).</summary>
    public Quat ToQuat()
    {
        double tr = Trace();
        Quat q;
        if (tr > 0)
        {
            double s = Math.Sqrt(tr + 1.0) * 2;
            q = new Quat(0.25 * s, (M21 - M12) / s, (M02 - M20) / s, (M10 - M01) / s);
        }
        else if (M00 > M11 && M00 > M22)
        {
            double s = Math.Sqrt(1.0 + M00 - M11 - M22) * 2;
            q = new Quat((M21 - M12) / s, 0.25 * s, (M01 + M10) / s, (M02 + M20) / s);
        }
        else if (M11 > M22)
        {
            double s = Math.Sqrt(1.0 + M11 - M00 - M22) * 2;
            q = new Quat((M02 - M20) / s, (M01 + M10) / s, 0.25 * s, (M12 + M21) / s);
        }
        else
        {
            double s = Math.Sqrt(1.0 + M22 - M00 - M11) * 2;
            q = new Quat((M10 - M01) / s, (M02 + M20) / s, (M12 + M21) / s, 0.25 * s);
        }
        return q.Normalized().Canonical();
    }

    public static Mat3 RotX(double a)
    {
        double c = Math.Cos(a), s = Math.Sin(a);
        return new Mat3(1, 0, 0, 0, c, -s, 0, s, c);
    }

    public static Mat3 RotY(double a)
    {
        double c = Math.Cos(a), s = Math.Sin(a);
        return new Mat3(c, 0, s, 0, 1, 0, -s, 0, c);
    }

    public static Mat3 RotZ(double a)
    {
        double c = Math.Cos(a), s = Math.Sin(a);
        return new Mat3(c, -s, 0, s, c, 0, 0, 0, 1);
    }

    /// <summary>Rotation matrix of an axis-angle vector (Rodrigues; exact at zero).</summary>
    public static Mat3 Exp(Vec3 rotationVector)
    {
        double theta = rotationVector.Norm();
        if (theta < 1e-300)
        {
            return Identity;
        }
        return FromQuat(Quat.FromAxisAngle(rotationVector / theta, theta));
    }

    /// <summary>Axis-angle vector of a rotation (angle in [0, pi]).</summary>
    public Vec3 Log()
    {
        Quat q = ToQuat();
        double sinHalf = Math.Sqrt(q.X * q.X + q.Y * q.Y + q.Z * q.Z);
        if (sinHalf < 1e-300)
        {
            return Vec3.Zero;
        }
        double angle = 2 * Math.Atan2(sinHalf, q.W);
        return new Vec3(q.X, q.Y, q.Z) * (angle / sinHalf);
    }

    // Kept by hand: the MJCF importer's inertia axes need it allocation-free, and the byte-identical model regeneration pins its rounding.
    /// <summary>Eigen-decomposition of a symmetric matrix (cyclic Jacobi): this = V diag(values) V^T.</summary>
    public (Vec3 Values, Mat3 Vectors) SymmetricEigen()
    {
        double[,] a = { { M00, M01, M02 }, { M10, M11, M12 }, { M20, M21, M22 } };
        double[,] v = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (int sweep = 0; sweep < 64; sweep++)
        {
            double off = Math.Abs(a[0, 1]) + Math.Abs(a[0, 2]) + Math.Abs(a[1, 2]);
            double scale = Math.Abs(a[0, 0]) + Math.Abs(a[1, 1]) + Math.Abs(a[2, 2]);
            if (off <= 1e-300 || off <= 1e-17 * scale)
            {
                break;
            }
            for (int p = 0; p < 2; p++)
            {
                for (int r = p + 1; r < 3; r++)
                {
                    if (a[p, r] == 0)
                    {
                        continue;
                    }
                    double theta = (a[r, r] - a[p, p]) / (2 * a[p, r]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++)
                    {
                        double akp = a[k, p], akr = a[k, r];
                        a[k, p] = c * akp - s * akr;
                        a[k, r] = s * akp + c * akr;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double apk = a[p, k], ark = a[r, k];
                        a[p, k] = c * apk - s * ark;
                        a[r, k] = s * apk + c * ark;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double vkp = v[k, p], vkr = v[k, r];
                        v[k, p] = c * vkp - s * vkr;
                        v[k, r] = s * vkp + c * vkr;
                    }
                }
            }
        }
        return (new Vec3(a[0, 0], a[1, 1], a[2, 2]),
            new Mat3(v[0, 0], v[0, 1], v[0, 2], v[1, 0], v[1, 1], v[1, 2], v[2, 0], v[2, 1], v[2, 2]));
    }

    /// <summary>Skew-symmetric matrix [v]x, so that [v]x * w = v x w.</summary>
    public static Mat3 CrossMatrix(Vec3 v) => new(0, -v.Z, v.Y, v.Z, 0, -v.X, -v.Y, v.X, 0);
}
