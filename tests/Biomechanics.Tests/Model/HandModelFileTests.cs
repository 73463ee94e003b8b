using System.Text.Json.Nodes;
using MsMano.Biomechanics.Model;
using MsMano.TestSupport;

namespace MsMano.Biomechanics.Tests.Model;

public sealed class HandModelFileTests
{
    [Fact]
    public void Default_model_loads_with_mano_topology_and_MyoHand_muscles()
    {
        HandModel model = HandModelFile.LoadDefault();
        Assert.Equal(HandModel.JointCount, model.Joints.Length);
        Assert.Equal(HandModelValidation.ManoParents, model.Joints.Select(j => j.Parent));
        Assert.Equal(39, model.Muscles.Length);
        Assert.Equal(["thumb", "index", "middle", "ring", "little"], model.Tips.Select(t => t.Name));
        Assert.Contains("Apache License 2.0", model.Attribution);
        Assert.Equal(31, model.Muscles.Count(m => m.Group != MuscleGroup.Wrist));
        // MyoHand FDS4: L0 = 0.193767 m (MuJoCo compile, third_party/myohand/compiled).
        Assert.Equal(0.193767, model.Muscles.Single(m => m.Name == "FDS4").OptimalFiberLength, 6);
    }

    [Fact]
    public void Save_then_load_round_trips_exactly()
    {
        HandModel model = HandModelFile.LoadDefault();
        using var dir = new TempDir();
        string path = dir.File("hand.json");
        HandModelFile.Save(model, path);
        string first = File.ReadAllText(path);
        Assert.EndsWith("}\n", first);
        Assert.DoesNotContain("\r", first);
        HandModel again = HandModelFile.Load(path);
        Assert.Equal(first, HandModelFile.Serialize(again));
        Assert.Equal(model.Joints[7].Position, again.Joints[7].Position);
    }

    [Theory]
    [InlineData("$.format", "\"other\"", "$.format")]
    [InlineData("$.version", "2", "$.version")]
    [InlineData("$.joints[3].parent", "0", "$.joints[3].parent")]
    [InlineData("$.joints[2].frame", "[1, 0, 0, 0.5]", "$.joints[2].frame")]
    [InlineData("$.joints[4].lowerLimit", "[2, 0, 0]", "$.joints[4].lowerLimit[0]")]
    [InlineData("$.joints[13].abductionAxis", "[0.1, 0.9, 0]", "$.joints[13].abductionAxis")]
    [InlineData("$.joints[13].abductionAxis", "[0, 0.6, 0.8]", "$.joints[13].abductionAxis")]
    [InlineData("$.joints[13].abductionAxis", "[1, 0, 0]", "$.joints[13].abductionAxis")]
    [InlineData("$.muscles[5].maxIsometricForce", "0", "$.muscles[5].maxIsometricForce")]
    [InlineData("$.muscles[9].lengthRange", "[0.5, 0.4]", "$.muscles[9].lengthRange")]
    [InlineData("$.muscles[12].path[1].joint", "16", "$.muscles[12].path[1].joint")]
    [InlineData("$.tips", "[]", "$.tips")]
    public void Invalid_files_are_rejected_naming_the_field(string path, string json, string expectedInMessage)
    {
        JsonNode root = JsonNode.Parse(HandModelFile.Serialize(HandModelFile.LoadDefault()))!;
        Set(root, path, JsonNode.Parse(json));
        using var dir = new TempDir();
        string file = dir.File("bad.json");
        File.WriteAllText(file, root.ToJsonString());
        HandModelException ex = Assert.Throws<HandModelException>(() => HandModelFile.Load(file));
        Assert.Contains("bad.json", ex.Message);
        Assert.Contains(expectedInMessage, ex.Message);
    }

    [Fact]
    public void Unknown_property_and_wrong_type_are_rejected()
    {
        JsonNode root = JsonNode.Parse(HandModelFile.Serialize(HandModelFile.LoadDefault()))!;
        root["joints"]![0]!["stiffness"] = 3;
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.json"), root.ToJsonString());
        HandModelException ex = Assert.Throws<HandModelException>(() => HandModelFile.Load(dir.File("a.json")));
        Assert.Contains("stiffness", ex.Message);
        root = JsonNode.Parse(HandModelFile.Serialize(HandModelFile.LoadDefault()))!;
        root["muscles"]![0]!["group"] = "Elbow";
        File.WriteAllText(dir.File("b.json"), root.ToJsonString());
        ex = Assert.Throws<HandModelException>(() => HandModelFile.Load(dir.File("b.json")));
        Assert.Contains("$.muscles[0].group", ex.Message);
    }

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        string[] parts = path[2..].Replace("[", ".").Replace("]", "").Split('.');
        JsonNode node = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            node = int.TryParse(parts[i], out int k) ? node[k]! : node[parts[i]]!;
        }
        string last = parts[^1];
        if (int.TryParse(last, out int idx))
        {
            node[idx] = value;
        }
        else
        {
            node[last] = value;
        }
    }
}
