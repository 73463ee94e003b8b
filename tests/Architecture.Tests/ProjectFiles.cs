using System.Xml.Linq;

namespace MsMano.Architecture.Tests;

/// <summary>The src/ project files copied beside the test assembly, read as folder name and references.</summary>
internal static class ProjectFiles
{
    public static string SourceRoot { get; } = Path.Combine(AppContext.BaseDirectory, "src");

    /// <summary>Folder name (the layer) to the folder names of its project references.</summary>
    public static IReadOnlyDictionary<string, string[]> ProjectReferences()
    {
        return Load().ToDictionary(
            p => p.Layer,
            p => p.Document.Descendants("ProjectReference")
                .Select(r => LayerOf(p.Path, (string?)r.Attribute("Include") ?? ""))
                .Order(StringComparer.Ordinal)
                .ToArray());
    }

    /// <summary>Folder name (the layer) to its package references.</summary>
    public static IReadOnlyDictionary<string, string[]> PackageReferences()
    {
        return Load().ToDictionary(
            p => p.Layer,
            p => p.Document.Descendants("PackageReference").Select(r => (string?)r.Attribute("Include") ?? "").ToArray());
    }

    private static IEnumerable<(string Layer, string Path, XDocument Document)> Load()
    {
        foreach (string path in Directory.EnumerateFiles(SourceRoot, "*.csproj", SearchOption.AllDirectories))
        {
            yield return (new DirectoryInfo(Path.GetDirectoryName(path)!).Name, path, XDocument.Load(path));
        }
    }

    // "../Biomechanics/MsMano.Biomechanics.csproj" -> "Biomechanics"; a reference outside src/ keeps its full path.
    private static string LayerOf(string project, string include)
    {
        string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include.Replace('\\', '/')));
        string? folder = Path.GetDirectoryName(full);
        return folder is not null && Path.GetDirectoryName(folder) == SourceRoot ? new DirectoryInfo(folder).Name : full;
    }
}
