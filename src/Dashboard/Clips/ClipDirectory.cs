namespace MsMano.Dashboard.Clips;

/// <summary>One clip file the API offers.</summary>
public sealed record ClipEntry(string Name, long Bytes, DateTimeOffset Modified);

/// <summary>
/// The clip files (<c>*.json</c>, see <see cref="HandClip"/>) in one folder, listed and read by bare file name only, so
/// a request cannot reach outside the folder. The folder may not exist yet (clips are recorded later).
/// </summary>
public sealed class ClipDirectory(string? root)
{
    public string? Root { get; } = root is null ? null : Path.GetFullPath(root);

    public IReadOnlyList<ClipEntry> List()
    {
        if (Root is null || !Directory.Exists(Root))
        {
            return [];
        }
        return new DirectoryInfo(Root).EnumerateFiles("*.json")
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new ClipEntry(f.Name, f.Length, f.LastWriteTimeUtc))
            .ToList();
    }

    /// <summary>Full path of clip <paramref name="name"/>, or null when the name is not a plain <c>.json</c> file name in the folder.</summary>
    public string? Resolve(string name)
    {
        if (Root is null || string.IsNullOrWhiteSpace(name) || name != Path.GetFileName(name) || name.StartsWith('.')
            || !name.EndsWith(".json", StringComparison.Ordinal) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            return null;
        }
        string path = Path.Combine(Root, name);
        return File.Exists(path) ? path : null;
    }
}
