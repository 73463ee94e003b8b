using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MsMano.Biomechanics.Model;

/// <summary>
/// Reads and writes the "msmano-hand" JSON file. Output is deterministic (declaration-order properties, camelCase,
/// shortest round-trip doubles, two-space indent, LF line ends, trailing newline), so regenerating a model from the
/// same source is byte-identical.
/// </summary>
public static class HandModelFile
{
    public const string DefaultResourceName = "MsMano.Biomechanics.msmano-hand.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Plain apostrophes in the attribution text; the file is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public static HandModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Hand model file not found: {path}", path);
        }
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>The shipped default hand (derived from MyoHand, Apache-2.0), embedded in this assembly.</summary>
    public static HandModel LoadDefault()
    {
        Assembly assembly = typeof(HandModelFile).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new HandModelException($"The embedded default hand model \"{DefaultResourceName}\" is missing from {assembly.GetName().Name}.");
        return Read(stream, $"embedded:{DefaultResourceName}");
    }

    public static HandModel Read(Stream stream, string source)
    {
        HandModel? model;
        try
        {
            model = JsonSerializer.Deserialize<HandModel>(stream, Options);
        }
        catch (JsonException ex)
        {
            throw new HandModelException($"{source}: {ex.Path ?? "$"}: {ex.Message}", ex);
        }
        if (model is null)
        {
            throw new HandModelException($"{source}: $: the file holds null, not a hand model.");
        }
        HandModelValidation.Validate(model, source);
        return model;
    }

    public static void Save(HandModel model, string path)
    {
        string text = Serialize(model);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The exact file text (validated first, so a file written here always loads).</summary>
    public static string Serialize(HandModel model)
    {
        HandModelValidation.Validate(model, model.Name.Length > 0 ? model.Name : "hand model");
        return JsonSerializer.Serialize(model, Options) + "\n";
    }
}
