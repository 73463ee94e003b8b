namespace MsMano.Architecture.Tests;

/// <summary>The allowed project references of src/, lowest layer first; docs/ARCHITECTURE.md shows the same graph.</summary>
internal static class LayerGraph
{
    public static readonly IReadOnlyList<(string Project, string[] References)> Allowed =
    [
        ("Contracts", []),
        ("Biomechanics", []),
        ("ModelFormats", ["Biomechanics"]),
        ("Environments", ["Biomechanics", "Contracts"]),
        ("Learning", ["Contracts", "Environments"]),
        ("Evaluation", ["Biomechanics", "Contracts", "Environments", "ModelFormats"]),
        ("Cluster", ["Contracts", "Environments", "Evaluation", "Learning"]),
        ("Cli", ["Biomechanics", "Cluster", "Contracts", "Environments", "Evaluation", "Learning", "ModelFormats"]),
    ];

    /// <summary>Projects that may reference Akka packages: the serializer binding (Contracts) and the actors (Cluster).</summary>
    public static readonly string[] AkkaProjects = ["Contracts", "Cluster", "Cli"];
}
