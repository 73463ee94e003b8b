using Akka.Actor;
using Akka.Event;
using MsMano.Cluster.Workers;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Rollouts;
using static MsMano.Cluster.Simulation.SimulationProtocol;

namespace MsMano.Cluster.Simulation;

/// <summary>
/// Owns one <see cref="IRolloutSource"/> (a batch of agents plus its policy copy) and streams its rollouts to the
/// learner: collect → split into chunks → send while credit lasts → collect again. The source lives on a dedicated
/// thread and is only touched there (collections and weight swaps queue up in order), so the actor stays free to
/// take acks, weights and cluster news while the physics runs. One collection is in flight at a time.
/// </summary>
/// <remarks>
/// Flow control: at most the learner-granted window of chunks is unacknowledged; the next collection starts only
/// when the previous one's chunks have all been sent. Chunks unacknowledged past <see cref="SimulationNodeSettings.AckTimeout"/>
/// are written off, so a dead learner cannot block the actor; without a reachable learner it stops stepping.
/// </remarks>
public sealed class SimulationActor : ReceiveActor, IWithTimers
{
    private readonly int _actorId;
    private readonly string _nodeId;
    private readonly IActorRef _learner;
    private readonly SimulationNodeSettings _settings;
    private readonly Func<int, IRolloutSource> _createSource;
    private readonly DedicatedWorker _worker;
    private readonly CreditLedger _credit;
    private readonly Queue<RolloutChunk> _unsent = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IRolloutSource? _source;
    private RolloutBuffer? _buffer;
    private PolicySnapshot? _nextPolicy;
    private long _policyVersion = -1;
    private bool _hasPolicy;
    private bool _collecting;
    private bool _learnerPresent;
    private long _collections;
    private long _agentSteps;
    private long _chunksSent;
    private long _chunksAcknowledged;
    private long _chunksExpired;
    private long _staleRollouts;
    private long _stalePolicies;

    public SimulationActor(int actorId, string nodeId, IActorRef learner, SimulationNodeSettings settings, Func<int, IRolloutSource> createSource)
    {
        _actorId = actorId;
        _nodeId = nodeId;
        _learner = learner;
        _settings = settings.Validate();
        _createSource = createSource;
        _worker = new DedicatedWorker($"sim-{actorId}");
        _credit = new CreditLedger(_settings.InitialWindow, Now());

        Receive<SourceReady>(ready =>
        {
            _buffer = ready.Buffer;
            Context.Parent.Tell(new ActorReady(_actorId, ready.Buffer.Agents, ready.ObservationSize, ready.ActionSize));
            TryCollect();
        });
        Receive<SourceFailed>(failed =>
        {
            _log.Error(failed.Cause, "Simulation actor {0} could not create its rollout source", _actorId);
            throw new InvalidOperationException($"Simulation actor {_actorId}: rollout source failed to start.", failed.Cause);
        });
        Receive<ApplyPolicy>(OnPolicy);
        Receive<LearnerAvailability>(availability =>
        {
            if (availability.Present != _learnerPresent)
            {
                _learnerPresent = availability.Present;
                _log.Info("Simulation actor {0}: learner {1}", _actorId, _learnerPresent ? "available; stepping" : "gone; paused");
            }
            TryCollect();
        });
        Receive<RolloutAck>(ack =>
        {
            if (_credit.Acknowledge(ack, Now()))
            {
                _chunksAcknowledged++;
            }
            SendUnsent();
            TryCollect();
        });
        Receive<CollectFinished>(OnCollected);
        Receive<CollectFailed>(failed =>
        {
            _collecting = false;
            _log.Error(failed.Cause, "Simulation actor {0}: collection failed; retrying in 1 s", _actorId);
            Timers.StartSingleTimer(Retry.Instance, Retry.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<Retry>(_ => TryCollect());
        Receive<ExpireTick>(_ => OnExpireTick());
        Receive<GetStats>(_ => Sender.Tell(new SimulationActorStats(
            _actorId, _policyVersion, _collections, _agentSteps, _chunksSent, _chunksAcknowledged, _chunksExpired,
            _staleRollouts, _stalePolicies, _credit.InFlight, _credit.Window, _learnerPresent)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int actorId, string nodeId, IActorRef learner, SimulationNodeSettings settings, Func<int, IRolloutSource> createSource)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(createSource);
        return Akka.Actor.Props.Create(() => new SimulationActor(actorId, nodeId, learner, settings, createSource));
    }

    protected override void PreStart()
    {
        int steps = _settings.StepsPerCollection;
        int actorId = _actorId;
        _worker.Run(() =>
        {
            // Built on the worker: the source (and any thread-affine state it has) never leaves this thread.
            _source = _createSource(actorId);
            return new SourceReady(new RolloutBuffer(steps, _source.AgentCount, _source.ObservationSize, _source.ActionSize), _source.ObservationSize, _source.ActionSize);
        }).PipeTo(Self, failure: ex => new SourceFailed(ex));
        long checkEvery = Math.Max(TimeSpan.FromMilliseconds(100).Ticks, _settings.AckTimeout.Ticks / 4);
        Timers.StartPeriodicTimer(ExpireTick.Instance, ExpireTick.Instance, TimeSpan.FromTicks(checkEvery));
    }

    protected override void PostStop()
    {
        _ = _worker.Run(() =>
        {
            _source?.Dispose();
            return true;
        });
        _worker.Stop(TimeSpan.FromSeconds(10));
    }

    private void OnPolicy(ApplyPolicy apply)
    {
        long known = _nextPolicy?.Version ?? _policyVersion;
        if (!apply.Rebase && _hasPolicy && apply.Snapshot.Version <= known)
        {
            _stalePolicies++;
            _log.Debug("Simulation actor {0}: dropped stale policy v{1} (have v{2})", _actorId, apply.Snapshot.Version, known);
            return;
        }
        if (apply.Rebase)
        {
            // A new learner: whatever the old one granted or was sent is void, and unsent chunks were acted by its weights.
            _staleRollouts += _unsent.Count;
            _unsent.Clear();
            _credit.Reset(Now());
            _log.Info("Simulation actor {0}: new learner incarnation; rebased on its policy v{1}", _actorId, apply.Snapshot.Version);
        }
        _nextPolicy = apply.Snapshot;
        _hasPolicy = true;
        TryCollect();
    }

    private void TryCollect()
    {
        if (_collecting || _buffer is null || !_hasPolicy || !_learnerPresent || _unsent.Count > 0 || !_credit.CanSend)
        {
            return;
        }
        _collecting = true;
        PolicySnapshot? policy = _nextPolicy;
        _nextPolicy = null;
        if (policy is not null)
        {
            _policyVersion = policy.Version;
        }
        RolloutBuffer buffer = _buffer;
        IRolloutSource source = _source!;
        string nodeId = _nodeId;
        int actorId = _actorId;
        int budget = _settings.ChunkBudgetBytes;
        _worker.Run(() =>
        {
            if (policy is not null)
            {
                source.LoadPolicy(policy);
            }
            source.Collect(buffer);
            // Tag with the version that acted; the actor assigns sequence numbers when credit allows sending.
            buffer.PolicyVersion = source.PolicyVersion;
            IReadOnlyList<RolloutChunk> chunks = buffer.ToChunks(nodeId, actorId, () => 0, budget);
            return new CollectFinished(chunks, source.PolicyVersion, buffer.Transitions);
        }).PipeTo(Self, failure: ex => new CollectFailed(ex));
    }

    private void OnCollected(CollectFinished finished)
    {
        _collecting = false;
        _collections++;
        _agentSteps += finished.AgentSteps;
        Context.Parent.Tell(new Collected(_actorId, finished.AgentSteps, finished.PolicyVersion));
        long newest = _nextPolicy?.Version ?? _policyVersion;
        if (newest - finished.PolicyVersion > _settings.MaxPolicyLag)
        {
            // The learner would drop these anyway; keep the bandwidth and the credit for fresh data.
            _staleRollouts += finished.Chunks.Count;
            _log.Debug("Simulation actor {0}: dropped rollouts of policy v{1} (newest v{2})", _actorId, finished.PolicyVersion, newest);
        }
        else
        {
            foreach (RolloutChunk chunk in finished.Chunks)
            {
                _unsent.Enqueue(chunk);
            }
        }
        SendUnsent();
        TryCollect();
    }

    private void SendUnsent()
    {
        while (_unsent.Count > 0 && _credit.CanSend)
        {
            RolloutChunk chunk = _unsent.Dequeue() with { Sequence = _credit.Reserve(Now()) };
            _learner.Tell(chunk, Self);
            _chunksSent++;
        }
    }

    private void OnExpireTick()
    {
        long now = Now();
        int expired = _credit.ExpireSentBefore(now - _settings.AckTimeout.Ticks);
        if (expired > 0)
        {
            _chunksExpired += expired;
            _log.Warning("Simulation actor {0}: {1} chunks unacknowledged for {2}; written off (is the learner reachable?)", _actorId, expired, _settings.AckTimeout);
        }
        else if (_credit.Window == 0 && _credit.InFlight == 0 && now - _credit.LastAckTicks > _settings.AckTimeout.Ticks)
        {
            // Paused by a window of 0 and nobody reopened it within the timeout: the learner that paused us is gone.
            _credit.Reset(now);
            _log.Warning("Simulation actor {0}: paused for {1} without a resume; credit reset", _actorId, _settings.AckTimeout);
        }
        SendUnsent();
        TryCollect();
    }

    private static long Now()
    {
        return DateTime.UtcNow.Ticks;
    }
}
