namespace MsMano.ModelFormats.Numpy;

/// <summary>Reads .npy files (format versions 1.0, 2.0 and 3.0; numeric dtypes; C or Fortran order; either byte order).</summary>
public static class NpyReader
{
    public static NdArray Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static NdArray Read(byte[] bytes, string source)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, source);
    }

    /// <summary>Reads one array from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static NdArray Read(Stream stream, string source)
    {
        var header = NpyHeader.Read(stream, source);
        long count = NdArray.ElementCount(header.Shape);
        long byteCount = count * header.DType.ItemSize;
        if (byteCount > Array.MaxLength)
        {
            throw new DataFormatException(source, "header 'shape'", $"{header.DType} array of shape ({string.Join(", ", header.Shape)}) is too large to load");
        }

        byte[] data = new byte[byteCount];
        NpyHeader.ReadExactly(stream, data, source, $"data of {header.DType} ({string.Join(", ", header.Shape)})");
        if (header.BigEndian)
        {
            SwapBytes(data, header.DType.ItemSize);
        }

        if (header.FortranOrder)
        {
            data = NdArray.FortranToC(data, header.Shape, header.DType.ItemSize);
        }

        return new NdArray(header.DType, header.Shape, data, header.FortranOrder);
    }

    internal static void SwapBytes(byte[] data, int itemSize)
    {
        if (itemSize == 1)
        {
            return;
        }

        for (int i = 0; i < data.Length; i += itemSize)
        {
            data.AsSpan(i, itemSize).Reverse();
        }
    }
}
