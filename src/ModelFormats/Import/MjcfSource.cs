using System.Xml;
using System.Xml.Linq;

namespace MsMano.ModelFormats.Import;

/// <summary>The file an XML element came from (annotated while includes are expanded), for error messages.</summary>
internal sealed record MjcfSource(string Path)
{
    public static string FileOf(XElement element) => element.Annotation<MjcfSource>()?.Path ?? "(unknown file)";

    public static int LineOf(XElement element) => element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}
