using Akka.Actor;
using Akka.Event;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Trust;

/// <summary>
/// The data-parallel coordinator's doors, as the central learner's: only a live member with role sim may join the
/// group (<c>TrainerHello</c>), and only a trainer that joined may report a shard, an update, an abort or send state.
/// Without it any process in the cluster could join the ring, abort every round, or have its state saved as the
/// group's checkpoint. Every refusal is logged (bounded) and counted.
/// </summary>
public sealed class CoordinatorGate
{
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly SenderGate _hello;
    private readonly SenderGate _round;
    private readonly SenderGate _state;

    public CoordinatorGate(Akka.Cluster.Cluster cluster, ILoggingAdapter log)
    {
        _cluster = cluster;
        _hello = new SenderGate("trainer hello", log);
        _round = new SenderGate("round message", log);
        _state = new SenderGate("learner state chunk", log);
    }

    /// <summary>Refusals so far, all doors together.</summary>
    public long Refused => _hello.Refused + _round.Refused + _state.Refused;

    /// <summary>A trainer may join only from a live member with role sim.</summary>
    public bool AdmitHello(IActorRef sender)
    {
        return _hello.Admit(sender, ClusterMembers.HasRole(_cluster, sender, ClusterRoles.Sim), "not a member with role sim");
    }

    /// <summary>ShardReady, UpdateDone and UpdateAborted only from a trainer in the group.</summary>
    public bool AdmitRoundMessage(IActorRef sender, bool isGroupMember)
    {
        return _round.Admit(sender, isGroupMember, "not a trainer of the group");
    }

    /// <summary>State (saved as the group's checkpoint) only from a trainer in the group.</summary>
    public bool AdmitState(IActorRef sender, bool isGroupMember)
    {
        return _state.Admit(sender, isGroupMember, "not a trainer of the group");
    }
}
