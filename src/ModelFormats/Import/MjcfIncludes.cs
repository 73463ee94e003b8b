using System.Xml;
using System.Xml.Linq;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// Loads an MJCF file and splices every &lt;include file="..."/&gt; in place (paths relative to the including file, as
/// MuJoCo resolves them for nested includes). Each element is annotated with its source file.
/// </summary>
internal static class MjcfIncludes
{
    private const int MaxDepth = 16;

    public static XElement LoadExpanded(string path, List<string> missingIncludes)
    {
        return LoadFile(Path.GetFullPath(path), missingIncludes, new Stack<string>());
    }

    private static XElement LoadFile(string path, List<string> missing, Stack<string> chain)
    {
        if (chain.Contains(path))
        {
            throw new MjcfException($"{path}: include cycle ({string.Join(" -> ", chain.Reverse())} -> {path}).");
        }
        if (chain.Count > MaxDepth)
        {
            throw new MjcfException($"{path}: includes nested deeper than {MaxDepth}.");
        }
        XDocument doc;
        try
        {
            doc = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new MjcfException(path, ex.LineNumber, "XML", null, $"not well-formed XML: {ex.Message}");
        }
        XElement root = doc.Root ?? throw new MjcfException($"{path}: empty XML document.");
        foreach (XElement e in root.DescendantsAndSelf())
        {
            e.AddAnnotation(new MjcfSource(path));
        }
        chain.Push(path);
        ExpandIncludes(root, path, missing, chain);
        chain.Pop();
        return root;
    }

    private static void ExpandIncludes(XElement root, string path, List<string> missing, Stack<string> chain)
    {
        string dir = Path.GetDirectoryName(path) ?? ".";
        foreach (XElement include in root.Descendants("include").ToList())
        {
            string? file = (string?)include.Attribute("file");
            if (string.IsNullOrWhiteSpace(file))
            {
                throw new MjcfException(path, MjcfSource.LineOf(include), "<include file>", file, "the file attribute is required.");
            }
            string target = Path.GetFullPath(Path.Combine(dir, file));
            if (!File.Exists(target))
            {
                // Tolerated (a scene file with floor and lights is often absent); lookups that fail name it.
                missing.Add(target);
                include.Remove();
                continue;
            }
            XElement included = LoadFile(target, missing, chain);
            // Detach first: re-parenting an attached node would clone it and drop its source annotations.
            var children = included.Elements().ToList();
            foreach (XElement child in children)
            {
                child.Remove();
            }
            include.ReplaceWith(children);
        }
    }
}
