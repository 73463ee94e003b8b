using System.Numerics;

namespace MsMano.Learning.Metrics;

/// <summary>CRC-32C (Castagnoli), as TFRecord framing uses; BitOperations.Crc32C uses the SSE4.2/ARM instruction when present.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        int i = 0;
        for (; i + sizeof(ulong) <= data.Length; i += sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BitConverter.ToUInt64(data.Slice(i, sizeof(ulong))));
        }
        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }
        return ~crc;
    }

    /// <summary>TFRecord's masked CRC: rotate right by 15 and add a constant, so CRCs of CRCs stay well distributed.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }
}
