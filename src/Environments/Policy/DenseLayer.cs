using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MsMano.Environments.Policy;

/// <summary>
/// One linear layer (optionally followed by ReLU) for a batch of agents, in pure C#. Weights are stored transposed
/// (input-major) with the output width padded to a multiple of 32, so the inner loop is a broadcast-FMA over two
/// vector columns (Vector256, or Vector512 where the CPU has it), and four agents share every weight load
/// (register blocking: 8 accumulators).
/// </summary>
internal sealed class DenseLayer
{
    /// <summary>Output padding: two Vector512 columns, which is also a whole number of Vector256 pairs.</summary>
    public const int Padding = 32;
    private const int AgentBlock = 4;

    private readonly float[] _weightsT;
    private readonly float[] _bias;

    public DenseLayer(int inputSize, int inputStride, int outputSize, bool relu)
    {
        InputSize = inputSize;
        InputStride = inputStride;
        OutputSize = outputSize;
        OutputStride = (outputSize + Padding - 1) / Padding * Padding;
        Relu = relu;
        _weightsT = new float[inputSize * OutputStride];
        _bias = new float[OutputStride];
    }

    public int InputSize { get; }

    /// <summary>Distance between agents' rows in the input buffer.</summary>
    public int InputStride { get; }

    public int OutputSize { get; }

    /// <summary>Padded output width; padding columns are always zero.</summary>
    public int OutputStride { get; }

    public bool Relu { get; }

    /// <summary>
    /// Copies PyTorch-layout weights [out, realInput] and bias [out] in, transposing and zero-padding. realInput may be
    /// smaller than <see cref="InputSize"/> when the input rows carry padding columns; their weights stay zero.
    /// </summary>
    public void SetWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int realInput)
    {
        if (realInput > InputSize || weight.Length != OutputSize * realInput || bias.Length != OutputSize)
        {
            throw new ArgumentException($"Layer weights [{OutputSize}×{realInput}] do not fit a {InputSize}→{OutputSize} layer.");
        }
        Array.Clear(_weightsT);
        Array.Clear(_bias);
        for (int o = 0; o < OutputSize; o++)
        {
            for (int i = 0; i < realInput; i++)
            {
                _weightsT[i * OutputStride + o] = weight[o * realInput + i];
            }
            _bias[o] = bias[o];
        }
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int agents, VectorWidth width)
    {
        if (width == VectorWidth.Bits512)
        {
            ForwardVector<Lanes512>(input, output, agents);
        }
        else if (width == VectorWidth.Bits256)
        {
            ForwardVector<Lanes256>(input, output, agents);
        }
        else
        {
            ForwardScalar(input, output, agents);
        }
    }

    private void ForwardScalar(ReadOnlySpan<float> input, Span<float> output, int agents)
    {
        for (int a = 0; a < agents; a++)
        {
            ReadOnlySpan<float> x = input.Slice(a * InputStride, InputSize);
            Span<float> y = output.Slice(a * OutputStride, OutputStride);
            _bias.CopyTo(y);
            for (int k = 0; k < InputSize; k++)
            {
                float xk = x[k];
                Span<float> w = _weightsT.AsSpan(k * OutputStride, OutputStride);
                for (int j = 0; j < OutputStride; j++)
                {
                    y[j] += xk * w[j];
                }
            }
            if (Relu)
            {
                for (int j = 0; j < OutputStride; j++)
                {
                    y[j] = MathF.Max(y[j], 0f);
                }
            }
        }
    }

    // One kernel for every vector width: the JIT specialises it per lane struct, so each width compiles to its own loop.
    private void ForwardVector<TLanes>(ReadOnlySpan<float> input, Span<float> output, int agents)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        int width = TLanes.Count;
        int block = 2 * width;
        ref float w = ref _weightsT[0];
        ref float b = ref _bias[0];
        ref float xBase = ref Unsafe.AsRef(in input[0]);
        ref float yBase = ref output[0];
        int a = 0;
        for (; a + AgentBlock <= agents; a += AgentBlock)
        {
            ref float x0 = ref Unsafe.Add(ref xBase, a * InputStride);
            ref float x1 = ref Unsafe.Add(ref x0, InputStride);
            ref float x2 = ref Unsafe.Add(ref x1, InputStride);
            ref float x3 = ref Unsafe.Add(ref x2, InputStride);
            ref float y0 = ref Unsafe.Add(ref yBase, a * OutputStride);
            for (int j = 0; j < OutputStride; j += block)
            {
                TLanes bias0 = TLanes.Load(ref b, (nuint)j);
                TLanes bias1 = TLanes.Load(ref b, (nuint)(j + width));
                TLanes a00 = bias0, a01 = bias1, a10 = bias0, a11 = bias1;
                TLanes a20 = bias0, a21 = bias1, a30 = bias0, a31 = bias1;
                for (int k = 0; k < InputSize; k++)
                {
                    nuint offset = (nuint)(k * OutputStride + j);
                    TLanes w0 = TLanes.Load(ref w, offset);
                    TLanes w1 = TLanes.Load(ref w, offset + (nuint)width);
                    TLanes v0 = TLanes.Broadcast(Unsafe.Add(ref x0, k));
                    TLanes v1 = TLanes.Broadcast(Unsafe.Add(ref x1, k));
                    TLanes v2 = TLanes.Broadcast(Unsafe.Add(ref x2, k));
                    TLanes v3 = TLanes.Broadcast(Unsafe.Add(ref x3, k));
                    a00 = TLanes.MultiplyAdd(v0, w0, a00);
                    a01 = TLanes.MultiplyAdd(v0, w1, a01);
                    a10 = TLanes.MultiplyAdd(v1, w0, a10);
                    a11 = TLanes.MultiplyAdd(v1, w1, a11);
                    a20 = TLanes.MultiplyAdd(v2, w0, a20);
                    a21 = TLanes.MultiplyAdd(v2, w1, a21);
                    a30 = TLanes.MultiplyAdd(v3, w0, a30);
                    a31 = TLanes.MultiplyAdd(v3, w1, a31);
                }
                Store(a00, a01, ref y0, j);
                Store(a10, a11, ref y0, OutputStride + j);
                Store(a20, a21, ref y0, 2 * OutputStride + j);
                Store(a30, a31, ref y0, 3 * OutputStride + j);
            }
        }
        for (; a < agents; a++)
        {
            ref float x0 = ref Unsafe.Add(ref xBase, a * InputStride);
            ref float y0 = ref Unsafe.Add(ref yBase, a * OutputStride);
            for (int j = 0; j < OutputStride; j += block)
            {
                TLanes a00 = TLanes.Load(ref b, (nuint)j);
                TLanes a01 = TLanes.Load(ref b, (nuint)(j + width));
                for (int k = 0; k < InputSize; k++)
                {
                    nuint offset = (nuint)(k * OutputStride + j);
                    TLanes v0 = TLanes.Broadcast(Unsafe.Add(ref x0, k));
                    a00 = TLanes.MultiplyAdd(v0, TLanes.Load(ref w, offset), a00);
                    a01 = TLanes.MultiplyAdd(v0, TLanes.Load(ref w, offset + (nuint)width), a01);
                }
                Store(a00, a01, ref y0, j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store<TLanes>(TLanes low, TLanes high, ref float row, int index)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        if (Relu)
        {
            low = TLanes.Relu(low);
            high = TLanes.Relu(high);
        }
        low.Store(ref row, (nuint)index);
        high.Store(ref row, (nuint)(index + TLanes.Count));
    }
}

/// <summary>The few vector operations the dense kernel needs, over one hardware width.</summary>
internal interface IFloatLanes<TSelf>
    where TSelf : struct, IFloatLanes<TSelf>
{
    static abstract int Count { get; }

    static abstract TSelf Load(ref float source, nuint offset);

    static abstract TSelf Broadcast(float value);

    static abstract TSelf MultiplyAdd(TSelf x, TSelf w, TSelf accumulator);

    static abstract TSelf Relu(TSelf x);

    void Store(ref float destination, nuint offset);
}

/// <summary>AVX2 lanes: 8 floats, FMA where the CPU has it.</summary>
internal readonly struct Lanes256(Vector256<float> value) : IFloatLanes<Lanes256>
{
    private readonly Vector256<float> _value = value;

    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Broadcast(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 MultiplyAdd(Lanes256 x, Lanes256 w, Lanes256 accumulator) =>
        new(Fma.IsSupported ? Fma.MultiplyAdd(x._value, w._value, accumulator._value) : accumulator._value + x._value * w._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Relu(Lanes256 x) => new(Vector256.Max(x._value, Vector256<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint offset) => _value.StoreUnsafe(ref destination, offset);
}

/// <summary>AVX-512 lanes: 16 floats, always fused.</summary>
internal readonly struct Lanes512(Vector512<float> value) : IFloatLanes<Lanes512>
{
    private readonly Vector512<float> _value = value;

    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Broadcast(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 MultiplyAdd(Lanes512 x, Lanes512 w, Lanes512 accumulator) =>
        new(Vector512.FusedMultiplyAdd(x._value, w._value, accumulator._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Relu(Lanes512 x) => new(Vector512.Max(x._value, Vector512<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint offset) => _value.StoreUnsafe(ref destination, offset);
}
