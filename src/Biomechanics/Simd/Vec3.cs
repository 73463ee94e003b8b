using System.Runtime.CompilerServices;

namespace MsMano.Biomechanics.Simd;

/// <summary>A 3-vector of lanes (one 3-vector per agent in the bundle).</summary>
public struct Vec3<T> where T : unmanaged, ILane<T>
{
    public T X;
    public T Y;
    public T Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec3(T x, T y, T z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> Splat(float x, float y, float z) => new(T.Splat(x), T.Splat(y), T.Splat(z));

    public static Vec3<T> Zero => new(T.Zero, T.Zero, T.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> operator +(in Vec3<T> a, in Vec3<T> b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> operator -(in Vec3<T> a, in Vec3<T> b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> operator -(in Vec3<T> a) => new(-a.X, -a.Y, -a.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> operator *(in Vec3<T> a, T s) => new(a.X * s, a.Y * s, a.Z * s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot(in Vec3<T> a, in Vec3<T> b) => T.MulAdd(a.X, b.X, T.MulAdd(a.Y, b.Y, a.Z * b.Z));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> Cross(in Vec3<T> a, in Vec3<T> b) => new(
        a.Y * b.Z - a.Z * b.Y,
        a.Z * b.X - a.X * b.Z,
        a.X * b.Y - a.Y * b.X);

    /// <summary>a + b * s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3<T> MulAdd(in Vec3<T> b, T s, in Vec3<T> a) =>
        new(T.MulAdd(b.X, s, a.X), T.MulAdd(b.Y, s, a.Y), T.MulAdd(b.Z, s, a.Z));
}

/// <summary>A 3x3 matrix of lanes, stored by columns (C0, C1, C2).</summary>
public struct Mat3<T> where T : unmanaged, ILane<T>
{
    public Vec3<T> C0;
    public Vec3<T> C1;
    public Vec3<T> C2;

    public static Mat3<T> Identity => new()
    {
        C0 = Vec3<T>.Splat(1, 0, 0),
        C1 = Vec3<T>.Splat(0, 1, 0),
        C2 = Vec3<T>.Splat(0, 0, 1),
    };

    /// <summary>M * v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec3<T> Transform(in Vec3<T> v) => new(
        T.MulAdd(C0.X, v.X, T.MulAdd(C1.X, v.Y, C2.X * v.Z)),
        T.MulAdd(C0.Y, v.X, T.MulAdd(C1.Y, v.Y, C2.Y * v.Z)),
        T.MulAdd(C0.Z, v.X, T.MulAdd(C1.Z, v.Y, C2.Z * v.Z)));

    /// <summary>M^T * v: a world vector into the frame whose axes are the columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec3<T> TransposeTransform(in Vec3<T> v) => new(Vec3<T>.Dot(C0, v), Vec3<T>.Dot(C1, v), Vec3<T>.Dot(C2, v));

    /// <summary>M * c where c is a constant column (broadcast to all lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec3<T> Transform(float x, float y, float z) => Transform(Vec3<T>.Splat(x, y, z));
}

/// <summary>A symmetric 3x3 matrix of lanes (inertia tensors): xx yy zz xy xz yz.</summary>
public struct Sym3<T> where T : unmanaged, ILane<T>
{
    public T XX;
    public T YY;
    public T ZZ;
    public T XY;
    public T XZ;
    public T YZ;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Sym3<T> operator +(in Sym3<T> a, in Sym3<T> b) => new()
    {
        XX = a.XX + b.XX, YY = a.YY + b.YY, ZZ = a.ZZ + b.ZZ,
        XY = a.XY + b.XY, XZ = a.XZ + b.XZ, YZ = a.YZ + b.YZ,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vec3<T> Transform(in Vec3<T> v) => new(
        T.MulAdd(XX, v.X, T.MulAdd(XY, v.Y, XZ * v.Z)),
        T.MulAdd(XY, v.X, T.MulAdd(YY, v.Y, YZ * v.Z)),
        T.MulAdd(XZ, v.X, T.MulAdd(YZ, v.Y, ZZ * v.Z)));

    /// <summary>R * I * R^T for a constant inertia I (6 floats at <paramref name="offset"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Sym3<T> Rotate(in Mat3<T> r, float[] inertia, int offset)
    {
        var i = new Sym3<T>
        {
            XX = T.Splat(inertia[offset]), YY = T.Splat(inertia[offset + 1]), ZZ = T.Splat(inertia[offset + 2]),
            XY = T.Splat(inertia[offset + 3]), XZ = T.Splat(inertia[offset + 4]), YZ = T.Splat(inertia[offset + 5]),
        };
        // Columns of I * R^T are I * (rows of R); rows of R are read off the column storage.
        var r0 = new Vec3<T>(r.C0.X, r.C1.X, r.C2.X);
        var r1 = new Vec3<T>(r.C0.Y, r.C1.Y, r.C2.Y);
        var r2 = new Vec3<T>(r.C0.Z, r.C1.Z, r.C2.Z);
        Vec3<T> a0 = i.Transform(r0);
        Vec3<T> a1 = i.Transform(r1);
        Vec3<T> a2 = i.Transform(r2);
        return new Sym3<T>
        {
            XX = Vec3<T>.Dot(r0, a0), YY = Vec3<T>.Dot(r1, a1), ZZ = Vec3<T>.Dot(r2, a2),
            XY = Vec3<T>.Dot(r0, a1), XZ = Vec3<T>.Dot(r0, a2), YZ = Vec3<T>.Dot(r1, a2),
        };
    }

    /// <summary>Parallel-axis theorem: I + m (|d|^2 E - d d^T).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Sym3<T> AddParallelAxis(in Sym3<T> i, T m, in Vec3<T> d)
    {
        T xx = d.X * d.X;
        T yy = d.Y * d.Y;
        T zz = d.Z * d.Z;
        return new Sym3<T>
        {
            XX = T.MulAdd(m, yy + zz, i.XX),
            YY = T.MulAdd(m, xx + zz, i.YY),
            ZZ = T.MulAdd(m, xx + yy, i.ZZ),
            XY = i.XY - m * d.X * d.Y,
            XZ = i.XZ - m * d.X * d.Z,
            YZ = i.YZ - m * d.Y * d.Z,
        };
    }
}
