using System.IO.Compression;

namespace MsMano.ModelFormats.Numpy;

/// <summary>
/// The arrays of one .npz archive (a zip of "&lt;key&gt;.npy" members, STORED or DEFLATED), keyed by name
/// without the ".npy" suffix. <see cref="Require(string)"/> gives a clear error for a missing key.
/// </summary>
public sealed class NpzFile
{
    private readonly Dictionary<string, NdArray> _arrays;

    public NpzFile(string source, Dictionary<string, NdArray> arrays)
    {
        SourceName = source;
        _arrays = arrays;
    }

    public string SourceName { get; }

    public IReadOnlyDictionary<string, NdArray> Arrays => _arrays;

    public IEnumerable<string> Keys => _arrays.Keys;

    public bool Contains(string key) => _arrays.ContainsKey(key);

    public NdArray Require(string key)
    {
        if (!_arrays.TryGetValue(key, out NdArray? array))
        {
            throw new DataFormatException(SourceName, key, $"key is missing; the archive holds [{string.Join(", ", _arrays.Keys)}]");
        }

        return array;
    }

    /// <summary>Gets <paramref name="key"/> and checks its shape; -1 in <paramref name="shape"/> matches any size.</summary>
    public NdArray Require(string key, params int[] shape)
    {
        NdArray array = Require(key);
        bool ok = array.Rank == shape.Length;
        for (int i = 0; ok && i < shape.Length; i++)
        {
            ok = shape[i] < 0 || shape[i] == array.Shape[i];
        }

        if (!ok)
        {
            string expected = string.Join(", ", shape.Select(s => s < 0 ? "*" : s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            throw new DataFormatException(SourceName, key, $"shape is {array.ShapeText}, expected ({expected})");
        }

        return array;
    }
}

/// <summary>Reads numpy .npz archives (zip of .npy) into an NpzFile.</summary>
public static class NpzReader
{
    public static NpzFile Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static NpzFile Read(Stream stream, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(source, "zip directory", $"not a readable zip/npz archive ({e.Message})", e);
        }

        using (zip)
        {
            var arrays = new Dictionary<string, NdArray>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                string key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                string memberSource = $"{source}[{entry.FullName}]";
                try
                {
                    // Copy to memory first: deflate streams cannot report truncation as precisely.
                    using Stream member = entry.Open();
                    using var buffer = new MemoryStream();
                    member.CopyTo(buffer);
                    buffer.Position = 0;
                    arrays[key] = NpyReader.Read(buffer, memberSource);
                }
                catch (InvalidDataException e)
                {
                    throw new DataFormatException(memberSource, "zip member", $"cannot be decompressed ({e.Message})", e);
                }
            }

            return new NpzFile(source, arrays);
        }
    }
}
