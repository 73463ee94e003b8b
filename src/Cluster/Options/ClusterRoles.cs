namespace MsMano.Cluster.Options;

/// <summary>The cluster roles a node can carry; Akka role names, so they appear in HOCON and manifests verbatim.</summary>
public static class ClusterRoles
{
    public const string Learner = "learner";
    public const string Sim = "sim";
    public const string Eval = "eval";

    public static IReadOnlyList<string> All { get; } = [Learner, Sim, Eval];
}
