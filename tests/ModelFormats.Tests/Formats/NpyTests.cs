using System.Buffers.Binary;
using System.Text;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.TestSupport.Formats;

namespace MsMano.ModelFormats.Tests.Formats;

public sealed class NpyTests
{
    public static TheoryData<string> DTypes => new() { "<f4", "<f8", "<i4", "<i8", "|u1", "<u2", "<u4", "|b1" };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Round_trips_every_version(int version)
    {
        var array = NdArray.FromFloats([1.5f, -2f, 3.25f, 4f, 5f, 6f], 2, 3);
        byte[] bytes = NpyWriter.ToBytes(array, version);
        Assert.Equal(version, bytes[6]);
        // Data must start on a 64-byte boundary, as numpy writes it.
        Assert.Equal(0, (bytes.Length - 24) % 64);
        NdArray back = NpyReader.Read(bytes, "mem.npy");
        Assert.Equal(NpyDType.Float32, back.DType);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal(array.ToFloatArray(), back.ToFloatArray());
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Reads_little_and_big_endian_of_each_DType(string descr)
    {
        Assert.True(NpyDType.TryParse(descr, out NpyDType dtype, out _));
        double[] values = dtype.Kind == NpyKind.Bool ? [1, 0, 1, 1] : [1, 2, 200, 7];
        foreach (bool bigEndian in new[] { false, true })
        {
            byte[] data = new byte[values.Length * dtype.ItemSize];
            for (int i = 0; i < values.Length; i++)
            {
                Span<byte> element = data.AsSpan(i * dtype.ItemSize, dtype.ItemSize);
                WriteElement(element, dtype, values[i]);
                if (bigEndian)
                {
                    element.Reverse();
                }
            }

            string fileDescr = bigEndian && dtype.ItemSize > 1 ? ">" + descr[1..] : descr;
            byte[] bytes = HandHeader(1, $"{{'descr': '{fileDescr}', 'fortran_order': False, 'shape': (4,), }}", data);
            NdArray array = NpyReader.Read(bytes, "x.npy");
            Assert.Equal(dtype, array.DType);
            Assert.Equal(values, array.ToDoubleArray());
        }
    }

    [Fact]
    public void Fortran_order_is_transposed_to_c_order()
    {
        // Column-major storage of [[1,2,3],[4,5,6]] is 1,4,2,5,3,6; big-endian to exercise both conversions.
        double[] fortran = [1, 4, 2, 5, 3, 6];
        byte[] data = new byte[48];
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteDoubleBigEndian(data.AsSpan(i * 8), fortran[i]);
        }

        byte[] bytes = HandHeader(2, "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }", data);
        NdArray array = NpyReader.Read(bytes, "f.npy");
        Assert.True(array.WasFortranOrder);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], array.ToDoubleArray());
    }

    [Fact]
    public void Three_dimensional_fortran_order()
    {
        // a[i,j,k] = 100i + 10j + k for shape (2,3,4); Fortran offset = i + 2j + 6k.
        long[] fortran = new long[24];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    fortran[i + (2 * j) + (6 * k)] = (100 * i) + (10 * j) + k;
                }
            }
        }

        byte[] data = new byte[24 * 8];
        for (int n = 0; n < 24; n++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(n * 8), fortran[n]);
        }

        NdArray array = NpyReader.Read(HandHeader(1, "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3, 4), }", data), "f3.npy");
        long[] c = array.ToInt64Array();
        Assert.Equal(123, c[(1 * 12) + (2 * 4) + 3]);
        Assert.Equal(21, c[(0 * 12) + (2 * 4) + 1]);
    }

    [Fact]
    public void Scalar_and_empty_shapes()
    {
        NdArray scalar = NpyReader.Read(HandHeader(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(2.5)), "s.npy");
        Assert.Equal(0, scalar.Rank);
        Assert.Equal([2.5], scalar.ToDoubleArray());
        NdArray empty = NpyReader.Read(HandHeader(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", []), "e.npy");
        Assert.Equal(0, empty.Length);
    }

    [Fact]
    public void Truncated_data_names_file_and_sizes()
    {
        byte[] bytes = NpyWriter.ToBytes(NdArray.FromDoubles([1, 2, 3, 4], 2, 2));
        DataFormatException error = Assert.Throws<DataFormatException>(() => NpyReader.Read(bytes[..^5], "cut.npy"));
        Assert.Contains("cut.npy", error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("(2, 2)", error.Message);
    }

    [Fact]
    public void Bad_magic_and_unsupported_DType_are_clear_errors()
    {
        DataFormatException magic = Assert.Throws<DataFormatException>(() => NpyReader.Read(Encoding.ASCII.GetBytes("PK\x03\x04 not npy at all"), "zip.npy"));
        Assert.Contains("zip.npy", magic.Message);
        Assert.Contains("magic", magic.Message);

        DataFormatException complex = Assert.Throws<DataFormatException>(() =>
            NpyReader.Read(HandHeader(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]), "c.npy"));
        Assert.Contains("'<c16'", complex.Message);
        Assert.Contains("descr", complex.Message);

        DataFormatException structured = Assert.Throws<DataFormatException>(() =>
            NpyReader.Read(HandHeader(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]), "r.npy"));
        Assert.Contains("structured", structured.Message);

        DataFormatException version = Assert.Throws<DataFormatException>(() => NpyReader.Read(HandHeader(9, "{}", []), "v.npy"));
        Assert.Contains("9.0", version.Message);
    }

    // Builds a .npy by hand, independently of NpyWriter.
    internal static byte[] HandHeader(int major, string dict, byte[] data)
    {
        byte[] header = Encoding.ASCII.GetBytes(dict + "\n");
        using var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        if (major == 1)
        {
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
        }
        else
        {
            stream.Write(BitConverter.GetBytes((uint)header.Length));
        }

        stream.Write(header);
        stream.Write(data);
        return stream.ToArray();
    }

    private static void WriteElement(Span<byte> element, NpyDType dtype, double value)
    {
        switch (dtype.Kind, dtype.ItemSize)
        {
            case (NpyKind.Float, 4): BinaryPrimitives.WriteSingleLittleEndian(element, (float)value); break;
            case (NpyKind.Float, 8): BinaryPrimitives.WriteDoubleLittleEndian(element, value); break;
            case (_, 1): element[0] = (byte)value; break;
            case (_, 2): BinaryPrimitives.WriteUInt16LittleEndian(element, (ushort)value); break;
            case (_, 4): BinaryPrimitives.WriteUInt32LittleEndian(element, (uint)value); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(element, (long)value); break;
        }
    }
}
