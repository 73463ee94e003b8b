using System.Globalization;
using System.Xml.Linq;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// Typed attribute access for one MJCF element: explicit attribute first, then its default class chain. Every parse
/// error names file, line, element, attribute and value.
/// </summary>
internal readonly struct MjcfElement
{
    private readonly MjcfDefaults _defaults;
    private readonly string _defaultsTag;

    public MjcfElement(XElement element, MjcfDefaults defaults, string className, string? defaultsTag = null)
    {
        Element = element;
        _defaults = defaults;
        ClassName = className;
        _defaultsTag = defaultsTag ?? element.Name.LocalName;
    }

    public XElement Element { get; }
    public string ClassName { get; }
    public string Tag => Element.Name.LocalName;
    public string File => MjcfSource.FileOf(Element);
    public int Line => MjcfSource.LineOf(Element);

    public bool HasExplicit(string attribute) => Element.Attribute(attribute) is not null;

    public string? Raw(string attribute) =>
        (string?)Element.Attribute(attribute) ?? _defaults.Lookup(ClassName, _defaultsTag, attribute);

    public MjcfException Error(string attribute, string? value, string problem) =>
        new(File, Line, $"<{Tag}{NameSuffix()} {attribute}>", value, problem);

    public string RequiredString(string attribute)
    {
        string? v = Raw(attribute);
        if (string.IsNullOrWhiteSpace(v))
        {
            throw Error(attribute, v, "the attribute is required.");
        }
        return v;
    }

    public string String(string attribute, string fallback) => Raw(attribute) ?? fallback;

    public double Double(string attribute, double fallback)
    {
        string? v = Raw(attribute);
        return v is null ? fallback : Doubles(attribute, v, 1)[0];
    }

    public double[] Doubles(string attribute, int count, double[] fallback)
    {
        string? v = Raw(attribute);
        return v is null ? (double[])fallback.Clone() : Doubles(attribute, v, count);
    }

    public double[]? OptionalDoubles(string attribute, int count)
    {
        string? v = Raw(attribute);
        return v is null ? null : Doubles(attribute, v, count);
    }

    /// <summary>Between 1 and <paramref name="maxCount"/> numbers (MuJoCo geom sizes take as many as the type needs).</summary>
    public double[] VariableDoubles(string attribute, int maxCount, double[] fallback)
    {
        string? v = Raw(attribute);
        if (v is null)
        {
            return (double[])fallback.Clone();
        }
        double[] values = ParseAll(attribute, v);
        if (values.Length < 1 || values.Length > maxCount)
        {
            throw Error(attribute, v, $"expected 1 to {maxCount} numbers, found {values.Length}.");
        }
        return values;
    }

    public bool Bool(string attribute, bool fallback)
    {
        string? v = Raw(attribute);
        return v switch
        {
            null => fallback,
            "true" => true,
            "false" => false,
            _ => throw Error(attribute, v, "expected \"true\" or \"false\"."),
        };
    }

    private double[] Doubles(string attribute, string text, int count)
    {
        double[] values = ParseAll(attribute, text);
        if (values.Length != count)
        {
            throw Error(attribute, text, $"expected {count} number(s), found {values.Length}.");
        }
        return values;
    }

    private double[] ParseAll(string attribute, string text)
    {
        string[] parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        double[] values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) ||
                !double.IsFinite(values[i]))
            {
                throw Error(attribute, text, $"\"{parts[i]}\" is not a finite number.");
            }
        }
        return values;
    }

    private string NameSuffix()
    {
        string? name = (string?)Element.Attribute("name");
        return name is null ? "" : $" name=\"{name}\"";
    }
}
