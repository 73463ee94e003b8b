using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Learning.DataParallel;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>
/// A simulation node's learner in data-parallel mode: its simulation actors stream rollouts here (on-node, the
/// same chunks and credit protocol as to the central learner), and it trains its replica with the group. Per round:
/// collect the share the coordinator asks for with the current policy, report the shard, take part in the ring
/// all-reduce of every minibatch gradient, report the new state hash, hand the new weights to the node's actors.
/// </summary>
public sealed class TrainerActor : ReceiveActor, IWithTimers, IWithStash
{
    private readonly string _nodeId;
    private readonly PpoConfig _ppo;
    private readonly DataParallelSettings _settings;
    private readonly int _creditWindow;
    private readonly IActorRef _coordinator;
    private readonly TrainerEngine _engine;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<RolloutSegment> _shard = [];
    private readonly Dictionary<IActorRef, RolloutAck> _paused = [];
    private readonly List<ReduceChunk> _ahead = [];
    private readonly Dictionary<IActorRef, PolicyWeightsReassembler> _incomingState = [];
    private readonly Stopwatch _sinceRate = Stopwatch.StartNew();
    private readonly Stopwatch _collectClock = new();
    private TimeSpan _collectTime;
    private TimeSpan _firstFresh;
    private int _staleChunks;
    private TrainerState _state = new(0, "", []);
    private IActorRef _node = ActorRefs.Nobody;
    private NodeRegistration? _registration;
    private double _agentStepsPerSecond;
    private long _stepsSinceRate;
    private long _round = -1;
    private int _share;
    private int _shardTransitions;
    private bool _collecting;
    private RingAllReduce? _ring;
    private long _ringRound = -1;
    private int _ringAttempt = -1;
    private bool _updating;
    private ReducePlan? _pendingPlan;
    private (long Round, int Attempt)? _finished;
    private long _updates;
    private long _aborts;
    private long _installs;
    private long _reduceBytes;

    public TrainerActor(string nodeId, PpoConfig ppo, DataParallelSettings settings, int creditWindow, int torchThreads, IActorRef coordinator)
    {
        _nodeId = nodeId;
        _ppo = ppo.Validate();
        _settings = settings.Validate();
        _creditWindow = creditWindow;
        _coordinator = coordinator;
        _engine = new TrainerEngine(_ppo, torchThreads, $"trainer-{nodeId}");
        Starting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    /// <summary>Counters for tests and progress: rounds trained, aborted attempts, state transfers received.</summary>
    public sealed record Stats(long PolicyVersion, string StateHash, long Updates, long Aborts, long StatesInstalled, long ReduceBytesSent, bool Updating) : INoSerializationVerificationNeeded;

    public sealed record GetStats : INoSerializationVerificationNeeded
    {
        public static readonly GetStats Instance = new();
    }

    public static Props Props(string nodeId, PpoConfig ppo, DataParallelSettings settings, int creditWindow, int torchThreads, IActorRef coordinator)
    {
        return Akka.Actor.Props.Create(() => new TrainerActor(nodeId, ppo, settings, creditWindow, torchThreads, coordinator));
    }

    protected override void PreStart()
    {
        _engine.StartAsync().PipeTo(Self, success: s => new Started(s), failure: ex => new Status.Failure(ex));
    }

    protected override void PostStop()
    {
        _ring?.Abort("trainer stopped");
        _engine.Dispose();
    }

    private void Starting()
    {
        Receive<Started>(started =>
        {
            _state = started.State;
            Timers.StartPeriodicTimer(HelloTick.Instance, HelloTick.Instance, _settings.HelloInterval);
            Hello();
            Become(Running);
            Stash.UnstashAll();
        });
        Receive<Status.Failure>(failed => throw new InvalidOperationException($"Trainer {_nodeId} could not start its learner.", failed.Cause));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Running()
    {
        Receive<NodeRegistration>(registration =>
        {
            bool first = !_node.Equals(Sender);
            _node = Sender;
            _registration = registration;
            if (first)
            {
                SendWeights();
            }
        });
        Receive<NodeStatus>(status => _agentStepsPerSecond = status.AgentStepsPerSecond);
        Receive<RolloutChunk>(OnChunk);
        Receive<RoundStart>(OnRoundStart);
        Receive<StopCollecting>(stop =>
        {
            if (stop.Round == _round && _collecting)
            {
                FinishCollection();
            }
        });
        Receive<ReducePlan>(OnPlan);
        Receive<ReduceChunk>(OnReduceChunk);
        Receive<RingProtocol.BeginOperation>(begin =>
        {
            if (ReferenceEquals(begin.Ring, _ring))
            {
                _ring.Begin(begin.Operation);
            }
            else
            {
                begin.Operation.Fail("the attempt was replaced");
            }
        });
        Receive<RingProtocol.OperationTimedOut>(timedOut =>
        {
            if (ReferenceEquals(timedOut.Ring, _ring))
            {
                _ring.Abort("timed out");
            }
        });
        Receive<UpdateSucceeded>(OnUpdateSucceeded);
        Receive<UpdateFailedHere>(OnUpdateFailed);
        Receive<Undone>(undone =>
        {
            _state = undone.State;
            StartPendingPlan();
        });
        Receive<SendState>(OnSendState);
        Receive<Captured>(captured =>
        {
            foreach (PolicyWeightsChunk part in PolicyWeightsChunker.Split(captured.State.PolicyVersion, captured.Blob))
            {
                captured.Target.Tell(new StateChunk(captured.State.StateHash, part), Self);
            }
            _log.Info("Trainer {0}: sent state v{1} ({2:F1} MB) to {3}", _nodeId, captured.State.PolicyVersion, captured.Blob.Length / 1e6, captured.Target.Path);
        });
        Receive<StateChunk>(OnStateChunk);
        Receive<Installed>(installed =>
        {
            _state = installed.State;
            _installs++;
            _log.Info("Trainer {0}: installed state v{1} (hash {2})", _nodeId, _state.PolicyVersion, _state.StateHash);
            SendWeights();
            Hello();
        });
        Receive<Status.Failure>(failed => _log.Error(failed.Cause, "Trainer {0}: {1}", _nodeId, failed.Cause.Message));
        Receive<HelloTick>(_ => Hello());
        Receive<GetStats>(_ => Sender.Tell(new Stats(_state.PolicyVersion, _state.StateHash, _updates, _aborts, _installs, _reduceBytes, _updating)));
    }

    private void Hello()
    {
        double seconds = _sinceRate.Elapsed.TotalSeconds;
        if (seconds >= 2)
        {
            _agentStepsPerSecond = _stepsSinceRate / seconds;
            _stepsSinceRate = 0;
            _sinceRate.Restart();
        }
        _coordinator.Tell(new TrainerHello(
            _nodeId, _state.PolicyVersion, _state.StateHash, _ppo.ObservationSize, _ppo.ActionSize,
            _registration?.AgentCount ?? 0, _agentStepsPerSecond));
    }

    private void OnRoundStart(RoundStart start)
    {
        if (start.PolicyVersion != _state.PolicyVersion || start.StateHash != _state.StateHash || _updating)
        {
            // Out of step with the group: the coordinator learns it from the next hello and resyncs this member.
            _log.Warning("Trainer {0}: round {1} is for v{2}/{3}; this member holds v{4}/{5}", _nodeId, start.Round, start.PolicyVersion, start.StateHash, _state.PolicyVersion, _state.StateHash);
            Hello();
            return;
        }
        _round = start.Round;
        _collectClock.Restart();
        _staleChunks = 0;
        _firstFresh = TimeSpan.Zero;
        _share = start.ShareTransitions;
        _shard.Clear();
        _shardTransitions = 0;
        _collecting = true;
        foreach ((IActorRef sender, RolloutAck ack) in _paused)
        {
            sender.Tell(ack with { Window = _creditWindow });
        }
        _paused.Clear();
    }

    private void OnChunk(RolloutChunk chunk)
    {
        bool accepted = false;
        if (_collecting && chunk.PolicyVersion != _state.PolicyVersion)
        {
            _staleChunks++;
        }
        if (_collecting && chunk.PolicyVersion == _state.PolicyVersion)
        {
            if (_shardTransitions == 0)
            {
                _firstFresh = _collectClock.Elapsed;
            }
            try
            {
                RolloutSegment segment = RolloutSegmentChunks.FromChunk(chunk, _ppo.ObservationSize, _ppo.ActionSize);
                _shard.Add(segment);
                _shardTransitions += segment.Transitions;
                _stepsSinceRate += segment.Transitions;
                accepted = true;
            }
            catch (ArgumentException ex)
            {
                _log.Warning("Trainer {0}: rejected rollout chunk from {1}: {2}", _nodeId, Sender.Path, ex.Message);
            }
        }
        if (accepted && _shardTransitions >= _share)
        {
            FinishCollection();
        }
        // Between rounds the node's actors are paused; the chunk that pauses them was acted by a finished policy.
        var ack = new RolloutAck(chunk.NodeId, chunk.ActorId, chunk.Sequence, _collecting ? _creditWindow : 0);
        if (!_collecting)
        {
            _paused[Sender] = ack;
        }
        Sender.Tell(ack);
    }

    private void FinishCollection()
    {
        _collecting = false;
        _collectTime = _collectClock.Elapsed;
        _coordinator.Tell(new ShardReady(_round, _shardTransitions, _agentStepsPerSecond));
    }

    private void OnPlan(ReducePlan plan)
    {
        if (plan.Round != _round || (plan.Round == _ringRound && plan.Attempt <= _ringAttempt))
        {
            return;
        }
        string self = Akka.Serialization.Serialization.SerializedActorPath(Self);
        if (Array.IndexOf(plan.Ring, self) < 0)
        {
            return;
        }
        _pendingPlan = plan;
        if (_updating)
        {
            // The running attempt is replaced: its waits fail, its effects are undone, then the new one starts.
            _ring?.Abort($"re-planned as attempt {plan.Attempt}");
            return;
        }
        if (_finished is { } done && done.Round == plan.Round)
        {
            // This member finished an attempt the group abandoned: undo it before redoing the round.
            _finished = null;
            _engine.UndoLastUpdateAsync().PipeTo(Self, success: s => new Undone(s), failure: ex => new Status.Failure(ex));
            return;
        }
        StartPendingPlan();
    }

    private void StartPendingPlan()
    {
        if (_pendingPlan is not { } plan)
        {
            return;
        }
        _pendingPlan = null;
        string self = Akka.Serialization.Serialization.SerializedActorPath(Self);
        int rank = Array.IndexOf(plan.Ring, self);
        IActorRef successor = ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(plan.Ring[(rank + 1) % plan.Ring.Length]);
        _ring = new RingAllReduce(Self, successor, rank, plan.Ring.Length, plan.Round, plan.Attempt, _settings.ReduceTimeout);
        _ringRound = plan.Round;
        _ringAttempt = plan.Attempt;
        _updating = true;
        RingAllReduce ring = _ring;
        foreach (ReduceChunk early in _ahead.Where(c => c.Round == plan.Round && c.Attempt == plan.Attempt).ToList())
        {
            ring.Accept(early);
        }
        _ahead.RemoveAll(c => c.Round < plan.Round || (c.Round == plan.Round && c.Attempt <= plan.Attempt));
        _engine.UpdateAsync(_shard.ToList(), ring).PipeTo(
            Self,
            success: r => new UpdateSucceeded(ring, r.Stats, r.State),
            failure: ex => new UpdateFailedHere(ring, ex));
    }

    private void OnReduceChunk(ReduceChunk chunk)
    {
        if (_ring is { } ring && chunk.Round == ring.Round && chunk.Attempt == ring.Attempt)
        {
            ring.Accept(chunk);
        }
        else if (chunk.Round > _ringRound || (chunk.Round == _ringRound && chunk.Attempt > _ringAttempt))
        {
            // A neighbour got the plan first; keep its chunks until ours arrives.
            _ahead.Add(chunk);
        }
    }

    private void OnUpdateSucceeded(UpdateSucceeded done)
    {
        _updating = false;
        _reduceBytes += done.Ring.BytesSent;
        if (_pendingPlan is not null)
        {
            // Replaced while finishing: undo, then run the new attempt.
            _engine.UndoLastUpdateAsync().PipeTo(Self, success: s => new Undone(s), failure: ex => new Status.Failure(ex));
            return;
        }
        _state = done.State;
        _updates++;
        (TimeSpan Update, TimeSpan Export) t = _engine.LastTimings;
        _log.Info(FormattableString.Invariant(
            $"Trainer {_nodeId}: round {done.Ring.Round}: collected {_shardTransitions} in {_collectTime.TotalMilliseconds:F0} ms (first fresh chunk after {_firstFresh.TotalMilliseconds:F0} ms, {_staleChunks} stale); update {t.Update.TotalMilliseconds:F0} ms (all-reduce waits {done.Ring.Waited.TotalMilliseconds:F0} ms, {done.Ring.WaitedForPeers.TotalMilliseconds:F0} of them for peers, {done.Ring.BytesSent / 1e6:F1} MB sent), export {t.Export.TotalMilliseconds:F0} ms"));
        _finished = (done.Ring.Round, done.Ring.Attempt);
        UpdateStats s = done.Stats;
        // Compute only: collection times are noisy (JIT warm-up, stale chunks) and the straggler rule already bounds them.
        double work = Math.Max(0, t.Update.TotalSeconds - done.Ring.Waited.TotalSeconds);
        _coordinator.Tell(new UpdateDone(
            done.Ring.Round, done.Ring.Attempt, _state.PolicyVersion, _state.StateHash, s.Transitions, s.MeanReward,
            s.ApproxKl, s.LearningRate, s.Seconds, Finite(s.PolicyLoss), Finite(s.ValueLoss), Finite(s.Entropy), work));
        // The shard is kept until the next round: a re-plan of this round redoes the update with it.
        SendWeights();
    }

    private void OnUpdateFailed(UpdateFailedHere failed)
    {
        _updating = false;
        _aborts++;
        if (_pendingPlan is not null)
        {
            StartPendingPlan();
            return;
        }
        string reason = failed.Cause is ReductionAbortedException ? failed.Cause.Message : $"{failed.Cause.GetType().Name}: {failed.Cause.Message}";
        _log.Warning("Trainer {0}: update of round {1} attempt {2} abandoned ({3}); state restored", _nodeId, failed.Ring.Round, failed.Ring.Attempt, reason);
        _coordinator.Tell(new UpdateAborted(failed.Ring.Round, failed.Ring.Attempt, reason.Length > 2000 ? reason[..2000] : reason));
    }

    private void OnSendState(SendState request)
    {
        IActorRef target = ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(request.Target);
        _engine.CaptureAsync().PipeTo(Self, success: c => new Captured(target, c.Blob, c.State), failure: ex => new Status.Failure(ex));
    }

    private void OnStateChunk(StateChunk chunk)
    {
        if (!_incomingState.TryGetValue(Sender, out PolicyWeightsReassembler? reassembler))
        {
            _incomingState[Sender] = reassembler = new PolicyWeightsReassembler(PolicyWeightsChunk.MaxTotalBytes);
        }
        ReassemblyResult result = reassembler.Accept(chunk.Part);
        if (result.Status == ReassemblyStatus.Rejected)
        {
            _log.Warning("Trainer {0}: state chunk from {1} refused: {2}", _nodeId, Sender.Path, result.Reason ?? "");
            _incomingState.Remove(Sender);
            return;
        }
        if (result.Status != ReassemblyStatus.Completed)
        {
            return;
        }
        _incomingState.Remove(Sender);
        if (_updating)
        {
            return;
        }
        _collecting = false;
        _engine.InstallAsync(result.Snapshot!, $"state v{result.Version} from {Sender.Path}")
            .PipeTo(Self, success: s => new Installed(s), failure: ex => new Status.Failure(ex));
    }

    private void SendWeights()
    {
        if (_node.IsNobody())
        {
            return;
        }
        foreach (PolicyWeightsChunk chunk in _state.Weights)
        {
            _node.Tell(chunk, Self);
        }
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0.0;

    private sealed record Started(TrainerState State) : INoSerializationVerificationNeeded;

    private sealed record UpdateSucceeded(RingAllReduce Ring, UpdateStats Stats, TrainerState State) : INoSerializationVerificationNeeded;

    private sealed record UpdateFailedHere(RingAllReduce Ring, Exception Cause) : INoSerializationVerificationNeeded;

    private sealed record Undone(TrainerState State) : INoSerializationVerificationNeeded;

    private sealed record Captured(IActorRef Target, byte[] Blob, TrainerState State) : INoSerializationVerificationNeeded;

    private sealed record Installed(TrainerState State) : INoSerializationVerificationNeeded;

    private sealed record HelloTick : INoSerializationVerificationNeeded
    {
        public static readonly HelloTick Instance = new();
    }
}
