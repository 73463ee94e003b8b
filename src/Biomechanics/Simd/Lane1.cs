using System.Runtime.CompilerServices;

namespace MsMano.Biomechanics.Simd;

/// <summary>One agent: the scalar baseline that the wide lanes are measured against.</summary>
public readonly struct Lane1 : ILane<Lane1>
{
    public readonly float V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lane1(float v)
    {
        V = v;
    }

    public static int Width => 1;
    public static Lane1 Zero => new(0f);
    public static Lane1 One => new(1f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Splat(float value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Load(ReadOnlySpan<float> source, int offset) => new(source[offset]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lane1 value, Span<float> destination, int offset) => destination[offset] = value.V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator +(Lane1 a, Lane1 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator -(Lane1 a, Lane1 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator -(Lane1 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator *(Lane1 a, Lane1 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator /(Lane1 a, Lane1 b) => new(a.V / b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 MulAdd(Lane1 a, Lane1 b, Lane1 c) => new(MathF.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Sqrt(Lane1 a) => new(MathF.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Min(Lane1 a, Lane1 b) => new(MathF.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Max(Lane1 a, Lane1 b) => new(MathF.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Abs(Lane1 a) => new(MathF.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Exp(Lane1 a) => new(MathF.Exp(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCos(Lane1 a, out Lane1 sin, out Lane1 cos)
    {
        (float s, float c) = MathF.SinCos(a.V);
        sin = new(s);
        cos = new(c);
    }

    private static readonly float s_allBits = BitConverter.Int32BitsToSingle(-1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 LessThan(Lane1 a, Lane1 b) => new(a.V < b.V ? s_allBits : 0f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 GreaterThan(Lane1 a, Lane1 b) => new(a.V > b.V ? s_allBits : 0f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Select(Lane1 mask, Lane1 whenTrue, Lane1 whenFalse) =>
        new(BitConverter.SingleToInt32Bits(mask.V) != 0 ? whenTrue.V : whenFalse.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyTrue(Lane1 mask) => BitConverter.SingleToInt32Bits(mask.V) != 0;

    public static bool AllFinite(Lane1 a) => float.IsFinite(a.V);

    public static float Lane(Lane1 a, int index) => a.V;
}
