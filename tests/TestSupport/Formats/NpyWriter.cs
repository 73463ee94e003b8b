using MsMano.ModelFormats.Numpy;

namespace MsMano.TestSupport.Formats;

/// <summary>Writes .npy files (little-endian, C order) that numpy.load reads back unchanged.</summary>
public static class NpyWriter
{
    public static void Write(string path, NdArray array, int formatVersion = 1)
    {
        using FileStream stream = File.Create(path);
        Write(stream, array, formatVersion);
    }

    public static byte[] ToBytes(NdArray array, int formatVersion = 1)
    {
        using var stream = new MemoryStream();
        Write(stream, array, formatVersion);
        return stream.ToArray();
    }

    public static void Write(Stream stream, NdArray array, int formatVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (formatVersion is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(formatVersion), formatVersion, "The .npy format has versions 1, 2 and 3.");
        }

        stream.Write(NpyHeader.Write(array.DType, array.Shape, formatVersion));
        stream.Write(array.RawBytes);
    }
}
