using System.Text.RegularExpressions;

namespace MsMano.Architecture.Tests;

public sealed class LayerTests
{
    [Fact]
    public void Every_src_project_is_a_known_layer()
    {
        Assert.Equal(
            LayerGraph.Allowed.Select(l => l.Project).Order(StringComparer.Ordinal),
            ProjectFiles.ProjectReferences().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Project_references_are_exactly_the_allowed_graph()
    {
        IReadOnlyDictionary<string, string[]> actual = ProjectFiles.ProjectReferences();
        foreach ((string project, string[] references) in LayerGraph.Allowed)
        {
            Assert.True(
                references.Order(StringComparer.Ordinal).SequenceEqual(actual[project]),
                $"src/{project} references [{string.Join(", ", actual[project])}]; the layer graph allows [{string.Join(", ", references)}]");
        }
    }

    [Fact]
    public void Dependencies_only_point_down()
    {
        // A project may only reference layers listed before it: the order of the table is the layering.
        var rank = LayerGraph.Allowed.Select((l, i) => (l.Project, i)).ToDictionary(x => x.Project, x => x.i);
        foreach ((string project, string[] references) in ProjectFiles.ProjectReferences())
        {
            foreach (string reference in references)
            {
                Assert.True(rank.ContainsKey(reference), $"src/{project} references {reference}, which is not a src/ layer");
                Assert.True(rank[reference] < rank[project], $"src/{project} references {reference}, a layer above it");
            }
        }
    }

    [Fact]
    public void Only_the_cluster_layers_reference_Akka()
    {
        foreach ((string project, string[] packages) in ProjectFiles.PackageReferences())
        {
            if (!LayerGraph.AkkaProjects.Contains(project))
            {
                Assert.DoesNotContain(packages, p => p.StartsWith("Akka", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void The_architecture_document_shows_the_same_graph()
    {
        // docs/ARCHITECTURE.md lists the graph in a ```layers block, one "Project -> A, B" line per layer.
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "ARCHITECTURE.md"));
        Match block = Regex.Match(text, @"```layers\n(?<body>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "docs/ARCHITECTURE.md has no ```layers block");
        var documented = block.Groups["body"].Value
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split("->", StringSplitOptions.TrimEntries))
            .Select(parts => (Project: parts[0], References: parts.Length > 1 && parts[1].Length > 0
                ? parts[1].Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToArray()
                : []))
            .ToList();
        Assert.Equal(
            LayerGraph.Allowed.Select(l => $"{l.Project} -> {string.Join(", ", l.References.Order(StringComparer.Ordinal))}"),
            documented.Select(l => $"{l.Project} -> {string.Join(", ", l.References)}"));
    }
}
