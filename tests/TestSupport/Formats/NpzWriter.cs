using System.IO.Compression;
using MsMano.ModelFormats.Numpy;

namespace MsMano.TestSupport.Formats;

/// <summary>Writes .npz archives for tests (numpy.savez / savez_compressed layout).</summary>
public static class NpzWriter
{
    /// <summary>
    /// Writes an .npz archive. <paramref name="compressed"/> = false gives STORED members (numpy.savez),
    /// true gives DEFLATED members (numpy.savez_compressed).
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NdArray>> arrays, bool compressed)
    {
        using FileStream stream = File.Create(path);
        Write(stream, arrays, compressed);
    }

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, NdArray>> arrays, bool compressed)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach ((string key, NdArray array) in arrays)
        {
            ZipArchiveEntry entry = zip.CreateEntry(key + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            using Stream member = entry.Open();
            NpyWriter.Write(member, array);
        }
    }
}
