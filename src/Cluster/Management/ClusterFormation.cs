namespace MsMano.Cluster.Management;

/// <summary>How a node finds its cluster.</summary>
public enum ClusterFormation
{
    /// <summary>Static seed nodes (<c>Seeds</c>), or none: the node founds a cluster by joining itself. Plain machines.</summary>
    Seeds,

    /// <summary>Cluster Bootstrap over Akka.Discovery's config method: a fixed list of management endpoints (one machine, tests).</summary>
    Config,

    /// <summary>Cluster Bootstrap over the Kubernetes API: pods found by label (deploy/).</summary>
    Kubernetes,
}
