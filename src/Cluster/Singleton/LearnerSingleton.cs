using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Singleton;

/// <summary>
/// Where the learner singleton lives and how other nodes reach it. Shared by the learner host (which starts the
/// manager) and the simulation nodes (which talk through a proxy), so neither has to reference the other.
/// </summary>
public static class LearnerSingleton
{
    /// <summary>Name of the singleton manager under /user on every learner-role node.</summary>
    public const string ManagerName = "learner";

    /// <summary>Name of the singleton actor under its manager.</summary>
    public const string SingletonName = "learner";

    /// <summary>Path of the running singleton on the node that hosts it.</summary>
    public const string SingletonPath = "/user/" + ManagerName + "/" + SingletonName;

    public static ClusterSingletonManagerSettings ManagerSettings(ActorSystem system)
    {
        return ClusterSingletonManagerSettings.Create(system).WithRole(ClusterRoles.Learner).WithSingletonName(SingletonName);
    }

    /// <summary>
    /// A local proxy that forwards to wherever the singleton runs (keeping the original sender, so acks come back
    /// to the actor that sent a chunk) and buffers while it is being (re)located.
    /// </summary>
    public static Props ProxyProps(ActorSystem system)
    {
        ClusterSingletonProxySettings settings = ClusterSingletonProxySettings.Create(system).WithRole(ClusterRoles.Learner).WithSingletonName(SingletonName);
        return ClusterSingletonProxy.Props("/user/" + ManagerName, settings);
    }
}
