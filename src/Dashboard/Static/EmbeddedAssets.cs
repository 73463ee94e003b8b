using System.Collections.Frozen;
using System.Reflection;

namespace MsMano.Dashboard.Static;

/// <summary>
/// The page, its scripts and the vendored three.js, embedded in this assembly under <c>wwwroot/</c> and read into
/// memory once (about 2.5 MB): served as they are, so no folder has to travel beside the binary.
/// </summary>
public sealed class EmbeddedAssets
{
    private const string Prefix = "wwwroot/";
    private readonly FrozenDictionary<string, byte[]> _files;

    private EmbeddedAssets(FrozenDictionary<string, byte[]> files)
    {
        _files = files;
    }

    public static EmbeddedAssets Load()
    {
        Assembly assembly = typeof(EmbeddedAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }
        return new EmbeddedAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public IEnumerable<string> Paths => _files.Keys;

    /// <summary>The file at <paramref name="path"/> (relative, '/'-separated; empty means index.html) with its content type.</summary>
    public (byte[] Content, string ContentType)? Find(string path)
    {
        string key = string.IsNullOrEmpty(path) ? "index.html" : path;
        return _files.TryGetValue(key, out byte[]? content) ? (content, ContentType(key)) : null;
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    };
}
