using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MsMano.Biomechanics.Simd;

/// <summary>Eight agents per AVX register.</summary>
public readonly struct Lane8 : ILane<Lane8>
{
    public readonly Vector256<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lane8(Vector256<float> v)
    {
        V = v;
    }

    public static int Width => 8;
    public static Lane8 Zero => new(Vector256<float>.Zero);
    public static Lane8 One => new(Vector256<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Splat(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Load(ReadOnlySpan<float> source, int offset) =>
        new(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lane8 value, Span<float> destination, int offset) =>
        value.V.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator +(Lane8 a, Lane8 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator -(Lane8 a, Lane8 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator -(Lane8 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator *(Lane8 a, Lane8 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator /(Lane8 a, Lane8 b) => new(a.V / b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 MulAdd(Lane8 a, Lane8 b, Lane8 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Sqrt(Lane8 a) => new(Vector256.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Min(Lane8 a, Lane8 b) => new(Vector256.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Max(Lane8 a, Lane8 b) => new(Vector256.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Abs(Lane8 a) => new(Vector256.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Exp(Lane8 a) => new(Vector256.Exp(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCos(Lane8 a, out Lane8 sin, out Lane8 cos)
    {
        (Vector256<float> s, Vector256<float> c) = Vector256.SinCos(a.V);
        sin = new(s);
        cos = new(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 LessThan(Lane8 a, Lane8 b) => new(Vector256.LessThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 GreaterThan(Lane8 a, Lane8 b) => new(Vector256.GreaterThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Select(Lane8 mask, Lane8 whenTrue, Lane8 whenFalse) =>
        new(Vector256.ConditionalSelect(mask.V, whenTrue.V, whenFalse.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyTrue(Lane8 mask) => Vector256.ExtractMostSignificantBits(mask.V) != 0;

    public static bool AllFinite(Lane8 a)
    {
        // x - x is 0 for finite x and NaN for NaN or infinity.
        Vector256<float> d = a.V - a.V;
        return Vector256.EqualsAll(d, Vector256<float>.Zero);
    }

    public static float Lane(Lane8 a, int index) => a.V.GetElement(index);
}
