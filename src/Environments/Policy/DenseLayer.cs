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
    private const int Block = 16;
    private const int WideBlock = 32;
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
            ForwardVector512(input, output, agents);
        }
        else if (width == VectorWidth.Bits256)
        {
            ForwardVector(input, output, agents);
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
            var x = input.Slice(a * InputStride, InputSize);
            var y = output.Slice(a * OutputStride, OutputStride);
            _bias.CopyTo(y);
            for (int k = 0; k < InputSize; k++)
            {
                float xk = x[k];
                var w = _weightsT.AsSpan(k * OutputStride, OutputStride);
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

    private void ForwardVector(ReadOnlySpan<float> input, Span<float> output, int agents)
    {
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
            for (int j = 0; j < OutputStride; j += Block)
            {
                var bias0 = Vector256.LoadUnsafe(ref b, (nuint)j);
                var bias1 = Vector256.LoadUnsafe(ref b, (nuint)(j + 8));
                Vector256<float> a00 = bias0, a01 = bias1, a10 = bias0, a11 = bias1;
                Vector256<float> a20 = bias0, a21 = bias1, a30 = bias0, a31 = bias1;
                for (int k = 0; k < InputSize; k++)
                {
                    nuint offset = (nuint)(k * OutputStride + j);
                    var w0 = Vector256.LoadUnsafe(ref w, offset);
                    var w1 = Vector256.LoadUnsafe(ref w, offset + 8);
                    var v0 = Vector256.Create(Unsafe.Add(ref x0, k));
                    var v1 = Vector256.Create(Unsafe.Add(ref x1, k));
                    var v2 = Vector256.Create(Unsafe.Add(ref x2, k));
                    var v3 = Vector256.Create(Unsafe.Add(ref x3, k));
                    a00 = MultiplyAdd(v0, w0, a00);
                    a01 = MultiplyAdd(v0, w1, a01);
                    a10 = MultiplyAdd(v1, w0, a10);
                    a11 = MultiplyAdd(v1, w1, a11);
                    a20 = MultiplyAdd(v2, w0, a20);
                    a21 = MultiplyAdd(v2, w1, a21);
                    a30 = MultiplyAdd(v3, w0, a30);
                    a31 = MultiplyAdd(v3, w1, a31);
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
            for (int j = 0; j < OutputStride; j += Block)
            {
                var a00 = Vector256.LoadUnsafe(ref b, (nuint)j);
                var a01 = Vector256.LoadUnsafe(ref b, (nuint)(j + 8));
                for (int k = 0; k < InputSize; k++)
                {
                    nuint offset = (nuint)(k * OutputStride + j);
                    var v0 = Vector256.Create(Unsafe.Add(ref x0, k));
                    a00 = MultiplyAdd(v0, Vector256.LoadUnsafe(ref w, offset), a00);
                    a01 = MultiplyAdd(v0, Vector256.LoadUnsafe(ref w, offset + 8), a01);
                }
                Store(a00, a01, ref y0, j);
            }
        }
    }

    private void ForwardVector512(ReadOnlySpan<float> input, Span<float> output, int agents)
    {
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
            for (int j = 0; j < OutputStride; j += WideBlock)
            {
                var bias0 = Vector512.LoadUnsafe(ref b, (nuint)j);
                var bias1 = Vector512.LoadUnsafe(ref b, (nuint)(j + 16));
                Vector512<float> a00 = bias0, a01 = bias1, a10 = bias0, a11 = bias1;
                Vector512<float> a20 = bias0, a21 = bias1, a30 = bias0, a31 = bias1;
                for (int k = 0; k < InputSize; k++)
                {
                    nuint offset = (nuint)(k * OutputStride + j);
                    var w0 = Vector512.LoadUnsafe(ref w, offset);
                    var w1 = Vector512.LoadUnsafe(ref w, offset + 16);
                    var v0 = Vector512.Create(Unsafe.Add(ref x0, k));
                    var v1 = Vector512.Create(Unsafe.Add(ref x1, k));
                    var v2 = Vector512.Create(Unsafe.Add(ref x2, k));
                    var v3 = Vector512.Create(Unsafe.Add(ref x3, k));
                    a00 = Vector512.FusedMultiplyAdd(v0, w0, a00);
                    a01 = Vector512.FusedMultiplyAdd(v0, w1, a01);
                    a10 = Vector512.FusedMultiplyAdd(v1, w0, a10);
                    a11 = Vector512.FusedMultiplyAdd(v1, w1, a11);
                    a20 = Vector512.FusedMultiplyAdd(v2, w0, a20);
                    a21 = Vector512.FusedMultiplyAdd(v2, w1, a21);
                    a30 = Vector512.FusedMultiplyAdd(v3, w0, a30);
                    a31 = Vector512.FusedMultiplyAdd(v3, w1, a31);
                }
                Store(a00, a01, ref y0, j);
                Store(a10, a11, ref y0, OutputStride + j);
                Store(a20, a21, ref y0, 2 * OutputStride + j);
                Store(a30, a31, ref y0, 3 * OutputStride + j);
            }
        }
        if (a < agents)
        {
            // Fewer than four agents left: the single-agent Vector256 loop handles them.
            ForwardVector(input.Slice(a * InputStride), output.Slice(a * OutputStride), agents - a);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(Vector512<float> low, Vector512<float> high, ref float row, int index)
    {
        if (Relu)
        {
            low = Vector512.Max(low, Vector512<float>.Zero);
            high = Vector512.Max(high, Vector512<float>.Zero);
        }
        low.StoreUnsafe(ref row, (nuint)index);
        high.StoreUnsafe(ref row, (nuint)(index + 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(Vector256<float> low, Vector256<float> high, ref float row, int index)
    {
        if (Relu)
        {
            low = Vector256.Max(low, Vector256<float>.Zero);
            high = Vector256.Max(high, Vector256<float>.Zero);
        }
        low.StoreUnsafe(ref row, (nuint)index);
        high.StoreUnsafe(ref row, (nuint)(index + 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> w, Vector256<float> acc) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, w, acc) : acc + x * w;
}
