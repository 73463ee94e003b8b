using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace MsMano.Cluster.Tests.Manifests;

/// <summary>The files under deploy/, loaded into typed Kubernetes models (copied beside the test assembly).</summary>
internal static class DeployManifests
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "deploy");

    public static string K8s { get; } = Path.Combine(Root, "k8s");

    public static IReadOnlyList<object> LoadBase()
    {
        var objects = new List<object>();
        foreach (string resource in KustomizationList(Path.Combine(K8s, "base"), "resources"))
        {
            objects.AddRange(KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(K8s, "base", resource))));
        }
        return objects;
    }

    public static T Single<T>(IEnumerable<object> objects, string name)
        where T : IMetadata<V1ObjectMeta>
    {
        return objects.OfType<T>().Single(o => o.Metadata.Name == name);
    }

    /// <summary>A list entry of kustomization.yaml (resources, components, or patch paths), in file order.</summary>
    public static IReadOnlyList<string> KustomizationList(string directory, string key)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(directory, "kustomization.yaml"))))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node))
        {
            return [];
        }
        return ((YamlSequenceNode)node).Children
            .Select(c => c is YamlMappingNode m ? ((YamlScalarNode)m.Children[new YamlScalarNode("path")]).Value! : ((YamlScalarNode)c).Value!)
            .ToList();
    }

    public static string KustomizationKind(string directory)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(directory, "kustomization.yaml"))))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return ((YamlScalarNode)root.Children[new YamlScalarNode("kind")]).Value!;
    }
}
