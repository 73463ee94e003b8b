namespace MsMano.Biomechanics.Simd;

/// <summary>
/// A bundle of agents processed together: the physics kernels are written once against this interface and the JIT
/// specialises them per struct lane type. <see cref="Lane8"/> carries eight agents in an AVX register; <see cref="Lane1"/>
/// carries one, which makes the same algorithm the straightforward one-agent-at-a-time baseline.
/// </summary>
public interface ILane<T> where T : unmanaged, ILane<T>
{
    static abstract int Width { get; }
    static abstract T Zero { get; }
    static abstract T One { get; }
    static abstract T Splat(float value);
    static abstract T Load(ReadOnlySpan<float> source, int offset);
    static abstract void Store(T value, Span<float> destination, int offset);

    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator -(T a);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);

    /// <summary>a * b + c, fused where the hardware has it.</summary>
    static abstract T MulAdd(T a, T b, T c);
    static abstract T Sqrt(T a);
    static abstract T Min(T a, T b);
    static abstract T Max(T a, T b);
    static abstract T Abs(T a);
    static abstract T Exp(T a);
    static abstract void SinCos(T a, out T sin, out T cos);

    /// <summary>All bits set in lanes where a &lt; b.</summary>
    static abstract T LessThan(T a, T b);
    /// <summary>All bits set in lanes where a &gt; b.</summary>
    static abstract T GreaterThan(T a, T b);
    static abstract T Select(T mask, T whenTrue, T whenFalse);
    /// <summary>True when any lane of the mask is set (lets a kernel skip work no lane needs).</summary>
    static abstract bool AnyTrue(T mask);
    static abstract bool AllFinite(T a);
    static abstract float Lane(T a, int index);
}
