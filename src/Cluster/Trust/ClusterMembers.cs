using Akka.Actor;
using Akka.Cluster;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Trust;

/// <summary>
/// Who a sender is, from the cluster's own membership: a message's sender address names the node it came from
/// (remoting stamps it; with <see cref="Tls.ClusterTls"/> only certificate holders can connect at all). A process
/// that merely reaches the port, or a member without the needed role, is not admitted.
/// </summary>
public static class ClusterMembers
{
    /// <summary>
    /// The system's cluster, or null for a plain local ActorSystem: there every sender is in-process, inside the trust
    /// boundary, so the gates admit everything (unit specs drive actors that way).
    /// </summary>
    public static Akka.Cluster.Cluster? TryGet(ActorSystem system)
    {
        return ((ExtendedActorSystem)system).Provider is Akka.Cluster.IClusterActorRefProvider ? Akka.Cluster.Cluster.Get(system) : null;
    }

    /// <summary>True when the sender lives in this process (the EventStream, a local actor).</summary>
    public static bool IsLocal(IActorRef sender)
    {
        return sender.Path.Address.HasLocalScope;
    }

    /// <summary>The Up (or leaving) member at the sender's address, or null; a local sender is this node.</summary>
    public static Member? Of(Akka.Cluster.Cluster cluster, IActorRef sender)
    {
        Address address = sender.Path.Address;
        if (address.HasLocalScope)
        {
            address = cluster.SelfAddress;
        }
        return cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address) && IsLive(m));
    }

    /// <summary>True when the sender is a live member carrying <paramref name="role"/>.</summary>
    public static bool HasRole(Akka.Cluster.Cluster cluster, IActorRef sender, string role)
    {
        return Of(cluster, sender)?.HasRole(role) == true;
    }

    /// <summary>True when the sender is a live member carrying any of <paramref name="roles"/>.</summary>
    public static bool HasAnyRole(Akka.Cluster.Cluster cluster, IActorRef sender, IReadOnlyCollection<string> roles)
    {
        Member? member = Of(cluster, sender);
        return member is not null && roles.Any(member.HasRole);
    }

    /// <summary>
    /// True when the sender is the current learner: the oldest live member with role learner, which is where the
    /// cluster singleton runs. A second learner-role member cannot push weights while the first is there.
    /// </summary>
    public static bool IsCurrentLearner(Akka.Cluster.Cluster cluster, IActorRef sender)
    {
        Member? member = Of(cluster, sender);
        if (member is null || !member.HasRole(ClusterRoles.Learner))
        {
            return false;
        }
        Member? oldest = null;
        foreach (Member m in cluster.State.Members)
        {
            if (IsLive(m) && m.HasRole(ClusterRoles.Learner) && (oldest is null || m.IsOlderThan(oldest)))
            {
                oldest = m;
            }
        }
        return member.Equals(oldest);
    }

    private static bool IsLive(Member member)
    {
        return member.Status is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.WeaklyUp;
    }
}
