using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using MsMano.Cluster.Options;
using MsMano.Contracts.DataParallel;

namespace MsMano.Cluster.Trust;

/// <summary>
/// The data-parallel coordinator's doors, as the central learner's: only a member with role sim may join the group
/// (<c>TrainerHello</c>), and only a trainer that joined may report a shard, an update, an abort or send state.
/// Without it any process in the cluster could join the ring, abort every round, or have its state saved as the
/// group's checkpoint. Every refusal is logged (bounded) and counted.
/// </summary>
/// <remarks>
/// An honest trainer says hello as soon as its node can reach the singleton, which can be before the coordinator's
/// node has seen that member at all (gossip is not instantaneous). So a hello from an address with no known member is
/// held, not refused: it is judged by the member's roles when a membership event names it, and refused only if no
/// member appears there within the wait.
/// </remarks>
public sealed class CoordinatorGate
{
    /// <summary>Hellos held at once; past it a hello from yet another unknown address is refused (a flood stays bounded).</summary>
    public const int MaxWaiting = 256;

    private readonly Akka.Cluster.Cluster _cluster;
    private readonly TimeSpan _memberWait;
    private readonly SenderGate _hello;
    private readonly SenderGate _round;
    private readonly SenderGate _state;
    private readonly Dictionary<Address, Member> _known = [];
    private readonly Dictionary<IActorRef, HeldHello> _waiting = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public CoordinatorGate(Akka.Cluster.Cluster cluster, ILoggingAdapter log, TimeSpan memberWait)
    {
        _cluster = cluster;
        _memberWait = memberWait;
        _hello = new SenderGate("trainer hello", log);
        _round = new SenderGate("round message", log);
        _state = new SenderGate("learner state chunk", log);
    }

    /// <summary>Refusals so far, all doors together.</summary>
    public long Refused => _hello.Refused + _round.Refused + _state.Refused;

    /// <summary>Hellos held until their sender's member is known.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>
    /// True when the hello may be handled now: its sender is in this process or a member with role sim. A non-sim
    /// member's hello is refused; one from an address no member is known at yet is held (see <see cref="MemberSeen"/>).
    /// </summary>
    public bool AdmitHello(IActorRef sender, TrainerHello hello)
    {
        if (ClusterMembers.IsLocal(sender))
        {
            return true;
        }
        Member? member = Find(sender.Path.Address);
        if (member is null)
        {
            if (_waiting.TryGetValue(sender, out HeldHello? held))
            {
                // A trainer repeats its hello: keep the newest, but the wait runs from the first.
                _waiting[sender] = held with { Hello = hello };
                return false;
            }
            if (_waiting.Count >= MaxWaiting)
            {
                return _hello.Admit(sender, false, $"no member at its address, and {MaxWaiting} hellos already wait for theirs");
            }
            _waiting[sender] = new HeldHello(hello, _clock.Elapsed);
            return false;
        }
        return _hello.Admit(sender, member.HasRole(ClusterRoles.Sim),
            $"a member with roles [{string.Join(", ", member.Roles)}], not {ClusterRoles.Sim}");
    }

    /// <summary>
    /// A membership event named <paramref name="member"/>: remember its roles, and return the hellos held for its
    /// address, which the actor delivers to itself again (they now meet a known member).
    /// </summary>
    public IReadOnlyList<(IActorRef Sender, TrainerHello Hello)> MemberSeen(Member member)
    {
        _known[member.Address] = member;
        var released = _waiting.Where(w => w.Key.Path.Address.Equals(member.Address)).Select(w => (w.Key, w.Value.Hello)).ToList();
        foreach ((IActorRef sender, _) in released)
        {
            _waiting.Remove(sender);
        }
        return released;
    }

    /// <summary>The member left the cluster: a later process at the same address is judged afresh.</summary>
    public void MemberGone(Member member)
    {
        if (_known.TryGetValue(member.Address, out Member? known) && known.UniqueAddress.Equals(member.UniqueAddress))
        {
            _known.Remove(member.Address);
        }
    }

    /// <summary>Refuses (and logs, counts) every held hello whose member did not appear within the wait.</summary>
    public void ExpireWaiting()
    {
        TimeSpan now = _clock.Elapsed;
        foreach ((IActorRef sender, _) in _waiting.Where(w => now - w.Value.Since >= _memberWait).ToList())
        {
            _waiting.Remove(sender);
            _hello.Admit(sender, false, $"no cluster member at its address within {_memberWait.TotalSeconds:F0} s");
        }
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

    // Events first (this actor's own view); the shared read view may be ahead of them. Down or Removed: not a member.
    private Member? Find(Address address)
    {
        if (_known.TryGetValue(address, out Member? known))
        {
            return known;
        }
        return _cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address) && m.Status is not (MemberStatus.Down or MemberStatus.Removed));
    }

    /// <summary>The periodic message on which the owning actor calls <see cref="ExpireWaiting"/>.</summary>
    public sealed class ExpiryTick : INoSerializationVerificationNeeded
    {
        public static readonly ExpiryTick Instance = new();

        private ExpiryTick()
        {
        }
    }

    private sealed record HeldHello(TrainerHello Hello, TimeSpan Since);
}
