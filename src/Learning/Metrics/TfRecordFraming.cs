using System.Buffers.Binary;

namespace MsMano.Learning.Metrics;

/// <summary>
/// TFRecord framing: uint64 length, masked CRC-32C of the length bytes, the data, masked CRC-32C of the data
/// (all little-endian).
/// </summary>
public static class TfRecordFraming
{
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(8), Crc32C.Masked(header.Slice(0, 8)));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>Reads every record, verifying both CRCs of each; throws <see cref="InvalidDataException"/> on any mismatch or truncation.</summary>
    public static List<byte[]> ReadAll(Stream stream)
    {
        var records = new List<byte[]>();
        var header = new byte[12];
        var footer = new byte[4];
        long offset = 0;
        while (true)
        {
            int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (got == 0)
            {
                return records;
            }
            if (got < header.Length)
            {
                throw new InvalidDataException($"TFRecord truncated in the header at byte {offset}.");
            }
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            if (lengthCrc != Crc32C.Masked(header.AsSpan(0, 8)))
            {
                throw new InvalidDataException($"TFRecord length CRC mismatch at byte {offset}.");
            }
            if (length > int.MaxValue)
            {
                throw new InvalidDataException($"TFRecord length {length} at byte {offset} is too large.");
            }
            var data = new byte[length];
            if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length
                || stream.ReadAtLeast(footer, footer.Length, throwOnEndOfStream: false) < footer.Length)
            {
                throw new InvalidDataException($"TFRecord truncated in the record at byte {offset}.");
            }
            if (BinaryPrimitives.ReadUInt32LittleEndian(footer) != Crc32C.Masked(data))
            {
                throw new InvalidDataException($"TFRecord data CRC mismatch in the record at byte {offset}.");
            }
            records.Add(data);
            offset += header.Length + data.Length + footer.Length;
        }
    }
}
