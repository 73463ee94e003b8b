using System.Buffers.Binary;
using System.Text;

namespace MsMano.Learning.Metrics;

/// <summary>One decoded TensorBoard event: either the file-version header or a set of scalar values.</summary>
public sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<TensorBoardScalar> Scalars);

/// <summary>One <c>Summary.Value</c> with a <c>simple_value</c>.</summary>
public sealed record TensorBoardScalar(string Tag, float Value);

/// <summary>
/// Hand-written protobuf for the subset of tensorflow's <c>Event</c> that scalars need:
/// Event{ wall_time double = 1; step int64 = 2; file_version string = 3; summary Summary = 5 },
/// Summary{ repeated Value value = 1 }, Value{ tag string = 1; simple_value float = 2 }.
/// </summary>
public static class TensorBoardEventCodec
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    public static byte[] EncodeFileVersion(double wallTime, string fileVersion)
    {
        using var buffer = new MemoryStream();
        WriteDouble(buffer, 1, wallTime);
        WriteVarintField(buffer, 2, 0);
        WriteBytes(buffer, 3, Encoding.UTF8.GetBytes(fileVersion));
        return buffer.ToArray();
    }

    public static byte[] EncodeScalars(double wallTime, long step, IEnumerable<TensorBoardScalar> scalars)
    {
        using var summary = new MemoryStream();
        Span<byte> bytes = stackalloc byte[4];
        foreach (var scalar in scalars)
        {
            using var value = new MemoryStream();
            WriteBytes(value, 1, Encoding.UTF8.GetBytes(scalar.Tag));
            WriteKey(value, 2, WireFixed32);
            BinaryPrimitives.WriteSingleLittleEndian(bytes, scalar.Value);
            value.Write(bytes);
            WriteBytes(summary, 1, value.ToArray());
        }
        using var buffer = new MemoryStream();
        WriteDouble(buffer, 1, wallTime);
        WriteVarintField(buffer, 2, unchecked((ulong)step));
        WriteBytes(buffer, 5, summary.ToArray());
        return buffer.ToArray();
    }

    public static TensorBoardEvent Decode(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<TensorBoardScalar>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            switch (field, wire)
            {
                case (1, WireFixed64):
                    wallTime = BitConverter.Int64BitsToDouble((long)reader.ReadFixed64());
                    break;
                case (2, WireVarint):
                    step = unchecked((long)reader.ReadVarint());
                    break;
                case (3, WireLengthDelimited):
                    fileVersion = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                case (5, WireLengthDelimited):
                    DecodeSummary(reader.ReadBytes(), scalars);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new TensorBoardEvent(wallTime, step, fileVersion, scalars);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> data, List<TensorBoardScalar> scalars)
    {
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1 && wire == WireLengthDelimited)
            {
                var value = new ProtoReader(reader.ReadBytes());
                string tag = "";
                float? simple = null;
                while (!value.End)
                {
                    var (f, w) = value.ReadKey();
                    if (f == 1 && w == WireLengthDelimited)
                    {
                        tag = Encoding.UTF8.GetString(value.ReadBytes());
                    }
                    else if (f == 2 && w == WireFixed32)
                    {
                        simple = BitConverter.Int32BitsToSingle((int)value.ReadFixed32());
                    }
                    else
                    {
                        value.Skip(w);
                    }
                }
                if (simple is { } v)
                {
                    scalars.Add(new TensorBoardScalar(tag, v));
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void WriteKey(Stream s, int field, int wire) => WriteVarint(s, (ulong)((field << 3) | wire));

    private static void WriteVarintField(Stream s, int field, ulong value)
    {
        WriteKey(s, field, WireVarint);
        WriteVarint(s, value);
    }

    private static void WriteDouble(Stream s, int field, double value)
    {
        WriteKey(s, field, WireFixed64);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        s.Write(bytes);
    }

    private static void WriteBytes(Stream s, int field, ReadOnlySpan<byte> bytes)
    {
        WriteKey(s, field, WireLengthDelimited);
        WriteVarint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }

    private ref struct ProtoReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _position;

        public ProtoReader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _position = 0;
        }

        public readonly bool End => _position >= _data.Length;

        public (int Field, int Wire) ReadKey()
        {
            ulong key = ReadVarint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Next(1)[0];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
            }
            throw new InvalidDataException("Malformed protobuf varint.");
        }

        public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Next(8));

        public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Next(4));

        public ReadOnlySpan<byte> ReadBytes() => Next(checked((int)ReadVarint()));

        public void Skip(int wire)
        {
            switch (wire)
            {
                case WireVarint:
                    ReadVarint();
                    break;
                case WireFixed64:
                    Next(8);
                    break;
                case WireLengthDelimited:
                    ReadBytes();
                    break;
                case WireFixed32:
                    Next(4);
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wire}.");
            }
        }

        private ReadOnlySpan<byte> Next(int count)
        {
            if (count < 0 || _position + count > _data.Length)
            {
                throw new InvalidDataException("Protobuf message ends early.");
            }
            var slice = _data.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
