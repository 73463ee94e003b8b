using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using MessagePack;
using MsMano.Cluster.Options;
using MsMano.Cluster.Shutdown;
using MsMano.Cluster.Singleton;
using MsMano.Cluster.Trust;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Environments.Rollouts;
using static Akka.Cluster.ClusterEvent;
using static MsMano.Cluster.Simulation.SimulationProtocol;

namespace MsMano.Cluster.Simulation;

/// <summary>
/// One per simulation node: starts the node's simulation actors, registers the node with the learner (and keeps
/// re-registering, so a restarted learner finds it), reassembles the learner's weight broadcasts and hands each
/// complete policy to its actors, tells them whether a learner is reachable, and reports the node's throughput.
/// The learner sees this actor as the node: weights arrive once per node, not once per actor.
/// </summary>
public sealed class SimulationNodeActor : ReceiveActor, IWithTimers
{
    // The deserialized snapshot comes off the network: bounded graph depth and collision-resistant maps.
    // Akka's own proxy warning is off (it fires falsely at every start), so the node says when no learner is there.
    private static readonly TimeSpan s_learnerWarningAfter = TimeSpan.FromSeconds(30);

    private static readonly MessagePackSerializerOptions s_untrusted = MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly string _nodeId;
    private readonly SimulationNodeSettings _settings;
    private readonly Func<int, IRolloutSource> _createSource;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SenderGate _weightsGate;
    private readonly Dictionary<int, ActorReady> _ready = [];
    private readonly HashSet<Address> _learners = [];
    private readonly HashSet<Address> _unreachable = [];
    private readonly List<IActorRef> _actors = [];
    private readonly Stopwatch _sinceStatus = Stopwatch.StartNew();
    private readonly Stopwatch _withoutLearner = Stopwatch.StartNew(); // restarted when the learner comes or goes
    private TimeSpan _nextLearnerWarning = s_learnerWarningAfter;
    private PolicyWeightsReassembler _weights = new();
    private IActorRef? _weightsSource;
    private bool _rebasePending;
    private IActorRef _learner = ActorRefs.Nobody;
    private bool _learnerPresent;
    private long _stepsSinceStatus;
    private long _policyVersion = -1;

    private readonly IActorRef? _localLearner;

    public SimulationNodeActor(string nodeId, SimulationNodeSettings settings, Func<int, IRolloutSource> createSource, IActorRef? localLearner = null)
    {
        _localLearner = localLearner;
        _nodeId = nodeId;
        _settings = settings.Validate();
        _createSource = createSource;
        _weightsGate = new SenderGate("policy weights", _log);

        Receive<ActorReady>(ready =>
        {
            _ready[ready.ActorId] = ready;
            Register();
        });
        Receive<Collected>(collected => _stepsSinceStatus += collected.AgentSteps);
        Receive<PolicyWeightsChunk>(OnWeights);
        Receive<MemberUp>(up => Track(up.Member, present: true));
        Receive<MemberWeaklyUp>(_ => { });
        Receive<MemberRemoved>(removed => Track(removed.Member, present: false));
        Receive<MemberExited>(exited => Track(exited.Member, present: false));
        Receive<MemberLeft>(left => Track(left.Member, present: false));
        Receive<UnreachableMember>(u =>
        {
            _unreachable.Add(u.Member.Address);
            UpdateAvailability();
        });
        Receive<ReachableMember>(r =>
        {
            _unreachable.Remove(r.Member.Address);
            UpdateAvailability();
        });
        Receive<IMemberEvent>(_ => { });
        Receive<Terminated>(t =>
        {
            _actors.Remove(t.ActorRef);
            _log.Error("Node {0}: simulation actor {1} stopped after repeated failures ({2} left)", _nodeId, t.ActorRef.Path.Name, _actors.Count);
            if (_actors.Count == 0)
            {
                CoordinatedShutdown.Get(Context.System).Run(NodeFailedReason.Instance);
            }
        });
        Receive<RegisterTick>(_ => Register());
        Receive<StatusTick>(_ => ReportStatus());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// An actor whose source keeps failing to start (bad model, bad motion data) is restarted a few times, then
    /// stopped; a node left with no actors leaves the cluster rather than idle in it.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy()
    {
        return new OneForOneStrategy(3, TimeSpan.FromMinutes(1), _ => Directive.Restart);
    }

    /// <summary>
    /// <paramref name="localLearner"/>: in data-parallel learning, the node's own trainer takes the rollouts and
    /// sends the weights; otherwise the learner singleton does, through a proxy.
    /// </summary>
    public static Props Props(string nodeId, SimulationNodeSettings settings, Func<int, IRolloutSource> createSource, IActorRef? localLearner = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentNullException.ThrowIfNull(createSource);
        return Akka.Actor.Props.Create(() => new SimulationNodeActor(nodeId, settings, createSource, localLearner));
    }

    protected override void PreStart()
    {
        _learner = _localLearner ?? Context.ActorOf(LearnerSingleton.ProxyProps(Context.System), "learner-proxy");
        for (int i = 0; i < _settings.Actors; i++)
        {
            _actors.Add(Context.Watch(Context.ActorOf(SimulationActor.Props(i, _nodeId, _learner, _settings, _createSource), $"sim-{i}")));
        }
        _cluster.Subscribe(Self, InitialStateAsEvents, typeof(IMemberEvent), typeof(IReachabilityEvent));
        Timers.StartPeriodicTimer(RegisterTick.Instance, RegisterTick.Instance, _settings.RegistrationInterval);
        Timers.StartPeriodicTimer(StatusTick.Instance, StatusTick.Instance, _settings.StatusInterval);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
    }

    private void Register()
    {
        if (_ready.Count == 0)
        {
            return;
        }
        ActorReady first = _ready.Values.First();
        _learner.Tell(new NodeRegistration(_nodeId, _settings.Actors, _ready.Values.Sum(r => r.Agents), first.ObservationSize, first.ActionSize));
    }

    private void ReportStatus()
    {
        double seconds = _sinceStatus.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? _stepsSinceStatus / seconds : 0.0;
        _sinceStatus.Restart();
        _stepsSinceStatus = 0;
        if (!_learnerPresent && _withoutLearner.Elapsed >= _nextLearnerWarning)
        {
            _log.Warning(
                "Node {0}: no reachable member with role learner for {1:F0} s; rollouts are paused (check the seed nodes and that a learner runs)",
                _nodeId, _withoutLearner.Elapsed.TotalSeconds);
            _nextLearnerWarning = _withoutLearner.Elapsed + s_learnerWarningAfter;
        }
        if (_ready.Count > 0)
        {
            var status = new NodeStatus(_nodeId, _settings.Actors, _ready.Values.Sum(r => r.Agents), rate, _policyVersion);
            _learner.Tell(status);
            Context.System.EventStream.Publish(status); // this node's own metrics and health (NodeTelemetry)
        }
    }

    private void OnWeights(PolicyWeightsChunk chunk)
    {
        // This node's own data-parallel trainer is in-process; over the network only the current learner may send weights.
        if (!_weightsGate.Admit(Sender, ClusterMembers.IsLocal(Sender) || ClusterMembers.IsCurrentLearner(_cluster, Sender), "not the current learner (the oldest member with role learner)"))
        {
            return;
        }
        long latest = Math.Max(_weights.LastCompletedVersion, _weights.InProgressVersion ?? -1);
        // Weights from one sender arrive in order, so a version going backwards means that learner restarted from a
        // checkpoint; a different sender is a new incarnation whose versions restart there too. Neither is stale.
        if (!Sender.Equals(_weightsSource) || chunk.Version < latest)
        {
            _rebasePending = _weightsSource is not null;
            _weightsSource = Sender;
            _weights = new PolicyWeightsReassembler();
        }
        ReassemblyResult result = _weights.Accept(chunk);
        switch (result.Status)
        {
            case ReassemblyStatus.Rejected:
                _log.Debug("Node {0}: weights chunk refused: {1}", _nodeId, result.Reason ?? "");
                return;
            case ReassemblyStatus.Pending:
                return;
        }
        PolicySnapshot snapshot;
        try
        {
            snapshot = MessagePackSerializer.Deserialize<PolicySnapshot>(result.Snapshot, s_untrusted);
            snapshot.Validate();
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or InvalidDataException)
        {
            _log.Error(ex, "Node {0}: policy v{1} is malformed and was ignored", _nodeId, result.Version);
            return;
        }
        _policyVersion = snapshot.Version;
        var apply = new ApplyPolicy(snapshot, _rebasePending);
        _rebasePending = false;
        foreach (IActorRef actor in _actors)
        {
            actor.Tell(apply);
        }
    }

    private void Track(Member member, bool present)
    {
        if (!member.HasRole(ClusterRoles.Learner))
        {
            return;
        }
        if (present)
        {
            _learners.Add(member.Address);
        }
        else
        {
            _learners.Remove(member.Address);
            _unreachable.Remove(member.Address);
        }
        UpdateAvailability();
    }

    private void UpdateAvailability()
    {
        bool present = _learners.Any(a => !_unreachable.Contains(a));
        if (present == _learnerPresent)
        {
            return;
        }
        _learnerPresent = present;
        _withoutLearner.Restart();
        _nextLearnerWarning = s_learnerWarningAfter;
        if (present)
        {
            // Register at once rather than at the next tick: the (new) learner sends its weights in reply.
            Register();
        }
        foreach (IActorRef actor in _actors)
        {
            actor.Tell(new LearnerAvailability(present));
        }
    }

    private sealed record RegisterTick : INoSerializationVerificationNeeded
    {
        public static readonly RegisterTick Instance = new();
    }

    private sealed record StatusTick : INoSerializationVerificationNeeded
    {
        public static readonly StatusTick Instance = new();
    }
}
