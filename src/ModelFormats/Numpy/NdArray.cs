using System.Buffers.Binary;

namespace MsMano.ModelFormats.Numpy;

/// <summary>
/// An n-dimensional numeric array as numpy stores it: a scalar type, a shape and the raw element bytes.
/// Data are always held in C (row-major) order and little-endian, whatever the file used;
/// <see cref="WasFortranOrder"/> records that the source was column-major. Typed accessors convert
/// element by element, so the exact stored values are kept until a caller asks for a type.
/// </summary>
public sealed class NdArray
{
    private readonly byte[] _data;

    public NdArray(NpyDType dtype, int[] shape, byte[] littleEndianCOrderData, bool wasFortranOrder = false)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(littleEndianCOrderData);
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Shape ({string.Join(", ", shape)}) has a negative dimension.", nameof(shape));
            }
        }

        long count = ElementCount(shape);
        if (count * dtype.ItemSize != littleEndianCOrderData.LongLength)
        {
            throw new ArgumentException(
                $"Shape ({string.Join(", ", shape)}) of {dtype} needs {count * dtype.ItemSize} bytes, got {littleEndianCOrderData.LongLength}.",
                nameof(littleEndianCOrderData));
        }

        DType = dtype;
        Shape = (int[])shape.Clone();
        _data = littleEndianCOrderData;
        WasFortranOrder = wasFortranOrder;
    }

    public NpyDType DType { get; }

    public IReadOnlyList<int> Shape { get; }

    public int Rank => Shape.Count;

    /// <summary>Number of elements (product of the shape; 1 for a 0-d array).</summary>
    public long Length => _data.LongLength / DType.ItemSize;

    /// <summary>True when the source stored the array in Fortran (column-major) order.</summary>
    public bool WasFortranOrder { get; }

    /// <summary>The element bytes, little-endian, C order.</summary>
    public ReadOnlySpan<byte> RawBytes => _data;

    public static long ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int dim in shape)
        {
            count = checked(count * dim);
        }

        return count;
    }

    public static NdArray FromDoubles(double[] values, params int[] shape) =>
        FromValues(NpyDType.Float64, values, shape, static (span, v) => BinaryPrimitives.WriteDoubleLittleEndian(span, v));

    public static NdArray FromFloats(float[] values, params int[] shape) =>
        FromValues(NpyDType.Float32, values, shape, static (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v));

    public static NdArray FromInt64(long[] values, params int[] shape) =>
        FromValues(NpyDType.Int64, values, shape, static (span, v) => BinaryPrimitives.WriteInt64LittleEndian(span, v));

    public static NdArray FromInt32(int[] values, params int[] shape) =>
        FromValues(NpyDType.Int32, values, shape, static (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v));

    public static NdArray FromUInt32(uint[] values, params int[] shape) =>
        FromValues(NpyDType.UInt32, values, shape, static (span, v) => BinaryPrimitives.WriteUInt32LittleEndian(span, v));

    public static NdArray FromUInt16(ushort[] values, params int[] shape) =>
        FromValues(NpyDType.UInt16, values, shape, static (span, v) => BinaryPrimitives.WriteUInt16LittleEndian(span, v));

    public static NdArray FromBytes(byte[] values, params int[] shape) =>
        FromValues(NpyDType.UInt8, values, shape, static (span, v) => span[0] = v);

    public static NdArray FromBools(bool[] values, params int[] shape) =>
        FromValues(NpyDType.Bool, values, shape, static (span, v) => span[0] = v ? (byte)1 : (byte)0);

    /// <summary>Element <paramref name="index"/> (flat, C order) converted to double.</summary>
    public double GetDouble(long index)
    {
        ReadOnlySpan<byte> span = Element(index);
        return DType switch
        {
            { Kind: NpyKind.Float, ItemSize: 4 } => BinaryPrimitives.ReadSingleLittleEndian(span),
            { Kind: NpyKind.Float } => BinaryPrimitives.ReadDoubleLittleEndian(span),
            { Kind: NpyKind.UnsignedInt, ItemSize: 8 } => BinaryPrimitives.ReadUInt64LittleEndian(span),
            _ => GetInt64(index),
        };
    }

    /// <summary>Element <paramref name="index"/> (flat, C order) as a 64-bit integer; floats must be integral.</summary>
    public long GetInt64(long index)
    {
        ReadOnlySpan<byte> span = Element(index);
        switch (DType.Kind)
        {
            case NpyKind.Bool:
                return span[0] != 0 ? 1 : 0;
            case NpyKind.SignedInt:
                return DType.ItemSize switch
                {
                    1 => (sbyte)span[0],
                    2 => BinaryPrimitives.ReadInt16LittleEndian(span),
                    4 => BinaryPrimitives.ReadInt32LittleEndian(span),
                    _ => BinaryPrimitives.ReadInt64LittleEndian(span),
                };
            case NpyKind.UnsignedInt:
                return DType.ItemSize switch
                {
                    1 => span[0],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(span),
                    4 => BinaryPrimitives.ReadUInt32LittleEndian(span),
                    _ => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(span)),
                };
            default:
                double value = GetDouble(index);
                if (value != Math.Floor(value) || double.IsInfinity(value))
                {
                    throw new InvalidCastException($"Element {index} of a {DType} array is {value}, not an integer.");
                }

                return checked((long)value);
        }
    }

    public double[] ToDoubleArray()
    {
        double[] result = new double[Length];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = GetDouble(i);
        }

        return result;
    }

    public float[] ToFloatArray()
    {
        float[] result = new float[Length];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = (float)GetDouble(i);
        }

        return result;
    }

    public long[] ToInt64Array()
    {
        long[] result = new long[Length];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = GetInt64(i);
        }

        return result;
    }

    public int[] ToInt32Array()
    {
        int[] result = new int[Length];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = checked((int)GetInt64(i));
        }

        return result;
    }

    public bool[] ToBoolArray()
    {
        bool[] result = new bool[Length];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = GetDouble(i) != 0;
        }

        return result;
    }

    /// <summary>Shape as numpy prints it, e.g. "(1, 21, 3)".</summary>
    public string ShapeText => Rank == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";

    public override string ToString() => $"NdArray {DType} {ShapeText}";

    /// <summary>True when the shape equals <paramref name="expected"/> exactly.</summary>
    public bool HasShape(params int[] expected) => Shape.SequenceEqual(expected);

    /// <summary>Converts column-major element bytes to row-major for the given shape.</summary>
    public static byte[] FortranToC(byte[] fortranData, IReadOnlyList<int> shape, int itemSize)
    {
        int rank = shape.Count;
        long count = ElementCount(shape);
        if (rank < 2 || count == 0)
        {
            return fortranData;
        }

        long[] fStride = new long[rank];
        fStride[0] = 1;
        for (int d = 1; d < rank; d++)
        {
            fStride[d] = fStride[d - 1] * shape[d - 1];
        }

        byte[] result = new byte[fortranData.LongLength];
        int[] index = new int[rank];
        for (long c = 0; c < count; c++)
        {
            long f = 0;
            for (int d = 0; d < rank; d++)
            {
                f += index[d] * fStride[d];
            }

            Array.Copy(fortranData, f * itemSize, result, c * itemSize, itemSize);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return result;
    }

    private ReadOnlySpan<byte> Element(long index)
    {
        if ((ulong)index >= (ulong)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Array has {Length} elements.");
        }

        return _data.AsSpan(checked((int)(index * DType.ItemSize)), DType.ItemSize);
    }

    private static NdArray FromValues<T>(NpyDType dtype, T[] values, int[] shape, SpanWriter<T> write)
    {
        ArgumentNullException.ThrowIfNull(values);
        // No shape given means a vector; a 0-d array is built with the constructor.
        if (shape.Length == 0)
        {
            shape = [values.Length];
        }

        if (ElementCount(shape) != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {values.Length} values.", nameof(shape));
        }

        byte[] bytes = new byte[values.LongLength * dtype.ItemSize];
        for (int i = 0; i < values.Length; i++)
        {
            write(bytes.AsSpan(i * dtype.ItemSize, dtype.ItemSize), values[i]);
        }

        return new NdArray(dtype, shape, bytes);
    }

    private delegate void SpanWriter<in T>(Span<byte> destination, T value);
}
