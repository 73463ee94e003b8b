using System.Text.Json;

namespace MsMano.TestSupport;

/// <summary>Typed access to reference/myohand_compiled.json (MuJoCo 3.14 compile of MyoHand).</summary>
public sealed class CompiledReference
{
    private CompiledReference(JsonDocument doc)
    {
        Root = doc.RootElement;
    }

    public JsonElement Root { get; }

    public static CompiledReference Load() => new(JsonDocument.Parse(File.ReadAllText(SharedData.CompiledJson)));

    public IEnumerable<JsonElement> Items(string section) => Root.GetProperty(section).EnumerateArray();

    public static double[] Vector(JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(x => x.GetDouble()).ToArray();
}
