using System.Globalization;
using MsMano.ModelFormats;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MsMano.Evaluation.Datasets.DexYcb;

/// <summary>
/// Reads DexYCB's YAML files through YamlDotNet's representation model, which keeps tags such as
/// !!python/tuple as inert node properties instead of trying to construct Python types.
/// </summary>
internal static class DexYcbYaml
{
    public static YamlMappingNode LoadMapping(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "file", "does not exist");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new DataFormatException(path, $"line {e.Start.Line}", $"invalid YAML ({e.Message})", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new DataFormatException(path, "document", "is not a YAML mapping");
        }

        return mapping;
    }

    public static YamlNode Require(YamlMappingNode map, string key, string path) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) ? node : throw new DataFormatException(path, key, "key is missing");

    public static string Scalar(YamlNode node, string path, string field) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new DataFormatException(path, field, $"expected a scalar, found {node.NodeType}");

    public static int Int(YamlNode node, string path, string field)
    {
        string text = Scalar(node, path, field);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new DataFormatException(path, field, $"'{text}' is not an integer");
    }

    public static double Double(YamlNode node, string path, string field)
    {
        string text = Scalar(node, path, field);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new DataFormatException(path, field, $"'{text}' is not a finite number");
    }

    public static IReadOnlyList<YamlNode> Sequence(YamlNode node, string path, string field) =>
        node is YamlSequenceNode seq ? seq.Children.ToArray() : throw new DataFormatException(path, field, $"expected a list, found {node.NodeType}");
}
