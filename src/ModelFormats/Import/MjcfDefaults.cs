using System.Xml.Linq;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// MJCF default classes: a tree rooted at "main"; each class holds per-element-tag attribute values and inherits from
/// its parent class.
/// </summary>
internal sealed class MjcfDefaults
{
    public const string MainClass = "main";

    private readonly Dictionary<string, string?> _parents = new() { [MainClass] = null };
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _values = new()
    {
        [MainClass] = new(),
    };

    public static MjcfDefaults Read(XElement root)
    {
        var defaults = new MjcfDefaults();
        foreach (XElement top in root.Elements("default"))
        {
            defaults.ReadClass(top, MainClass, isTop: true);
        }
        return defaults;
    }

    public bool HasClass(string name) => _values.ContainsKey(name);

    /// <summary>The value of attribute <paramref name="attribute"/> for element tag <paramref name="tag"/> in a class chain.</summary>
    public string? Lookup(string className, string tag, string attribute)
    {
        string? cls = className;
        while (cls is not null)
        {
            if (_values[cls].TryGetValue(tag, out Dictionary<string, string>? attrs) && attrs.TryGetValue(attribute, out string? v))
            {
                return v;
            }
            cls = _parents[cls];
        }
        return null;
    }

    private void ReadClass(XElement element, string parent, bool isTop)
    {
        string? name = (string?)element.Attribute("class");
        string cls;
        if (name is null)
        {
            if (!isTop)
            {
                throw new MjcfException(MjcfSource.FileOf(element), MjcfSource.LineOf(element), "<default class>", null,
                    "a nested default needs a class name.");
            }
            cls = MainClass;
        }
        else
        {
            cls = name;
            if (cls != MainClass)
            {
                if (_values.ContainsKey(cls))
                {
                    throw new MjcfException(MjcfSource.FileOf(element), MjcfSource.LineOf(element), "<default class>", cls,
                        "the default class is defined twice.");
                }
                _values[cls] = new();
                _parents[cls] = parent;
            }
        }
        foreach (XElement child in element.Elements())
        {
            if (child.Name.LocalName == "default")
            {
                ReadClass(child, cls, isTop: false);
                continue;
            }
            Dictionary<string, Dictionary<string, string>> byTag = _values[cls];
            if (!byTag.TryGetValue(child.Name.LocalName, out Dictionary<string, string>? attrs))
            {
                attrs = new();
                byTag[child.Name.LocalName] = attrs;
            }
            foreach (XAttribute a in child.Attributes())
            {
                attrs[a.Name.LocalName] = a.Value;
            }
        }
    }
}
