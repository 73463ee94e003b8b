using System.Diagnostics;
using Akka;
using Akka.Actor;
using Akka.Event;
using MsMano.Cluster.Options;
using MsMano.Cluster.Shutdown;
using MsMano.Cluster.Telemetry;
using MsMano.Cluster.Trust;
using MsMano.Contracts.Monitoring;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;
using MsMano.Learning.Ppo;
using static MsMano.Cluster.Learner.LearnerProtocol;

namespace MsMano.Cluster.Learner;

/// <summary>
/// The cluster's one learner (a cluster singleton on role <c>learner</c>): validates and acks rollout chunks, drops
/// stale ones, assembles PPO batches from whatever nodes are alive, runs each update off the actor thread
/// (<see cref="LearnerEngine"/>), broadcasts the new weights to every registered node and publishes
/// <see cref="LearnerProgress"/>. Credit-based flow control: every chunk is acked with the window its sender may
/// use next; a window of 0 pauses a sender while the backlog is full, and a fresh ack resumes it.
/// Training ends, and the policy is final, when the update budget is spent or the reward plateaus
/// (<see cref="RewardPlateau"/>); from then on <see cref="TrainingStatus.Converged"/> is true and rollouts stay paused.
/// On its own node's EventStream the learner also publishes the wire-level <see cref="TrainingStatus"/> and every
/// version's <see cref="PolicyWeightsChunk"/>s, for node-local listeners that know only the contracts (the
/// evaluation actor) rather than the learner's own types.
/// </summary>
public sealed class LearnerActor : ReceiveActor, IWithTimers, IWithStash
{
    private readonly LearnerSettings _settings;
    private readonly PpoConfig _ppo;
    private readonly LearnerEngine _engine;
    private readonly BatchAssembler _batch;
    private readonly RewardPlateau _plateau;
    private readonly NodeRegistry _nodes = new();
    private readonly Dictionary<IActorRef, RolloutAck> _paused = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeTelemetry _telemetry = NodeTelemetry.Get(Context.System); // metrics on the management port
    private readonly Akka.Cluster.Cluster? _cluster = ClusterMembers.TryGet(Context.System);
    private readonly SenderGate _rolloutGate;
    private readonly SenderGate _registrationGate;
    private readonly Stopwatch _clock = new();
    private LearnerState _state = new(0, 0, 0, []);
    private UpdateStats? _lastUpdate;
    private bool _updating;
    private bool _leaving; // the shutdown checkpoint was asked for: no update may start after it
    private bool _finished;
    private long _receivedChunks;
    private long _receivedTransitions;
    private long _acceptedTransitions;
    private long _staleChunks;
    private long _rejectedChunks;
    private long _rejectedUpdates;
    private long _rolloutBytes;
    private double _updateSeconds;
    private TimeSpan _updateStarted;
    private TimeSpan _lastUpdateAt;
    private double _intervalRewardSum;
    private long _intervalTransitions;
    private double _recentMeanReward;
    private double _recentTransitionsPerSecond;
    private TimeSpan _lastTick;
    private string? _lastCheckpoint;

    public LearnerActor(LearnerSettings settings, PpoConfig ppo)
    {
        _settings = settings.Validate();
        _ppo = ppo.Validate();
        _engine = new LearnerEngine(_settings, _ppo);
        _batch = new BatchAssembler(_settings.BatchSize);
        _plateau = new RewardPlateau(_settings.PlateauWindow, _settings.PlateauMinImprovement);
        _rolloutGate = new SenderGate("rollout chunk", _log);
        _registrationGate = new SenderGate("node registration", _log);
        Starting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(LearnerSettings settings, PpoConfig ppo)
    {
        return Akka.Actor.Props.Create(() => new LearnerActor(settings, ppo));
    }

    protected override void PreStart()
    {
        _engine.StartAsync().PipeTo(Self, success: s => new Started(s), failure: ex => new StartFailed(ex));
    }

    protected override void PostStop()
    {
        if (!_leaving)
        {
            // Stopped without the shutdown checkpoint: a node downed by the split-brain resolver stops its singleton
            // manager (and this actor) before coordinated shutdown can ask. Queued before Dispose on the same worker
            // thread, so it is written after any running update and before the networks are released.
            _ = _engine.CheckpointAsync().ContinueWith(
                t => _log.Warning("Checkpoint on stop failed: {0}", t.Exception!.GetBaseException().Message),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        _engine.Dispose();
    }

    private void Starting()
    {
        Receive<Started>(started =>
        {
            _state = started.State;
            _clock.Start();
            _finished = _settings.MaxUpdates > 0 && _state.UpdateCount >= _settings.MaxUpdates;
            _log.Info(
                "Learner ready at policy version {0} ({1} updates, {2} transitions so far); batch {3} transitions, max lag {4}, train {5}",
                _state.PolicyVersion, _state.UpdateCount, _state.TotalTransitions, _settings.BatchSize, _settings.MaxPolicyLag, _settings.Train);
            Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _settings.ProgressInterval);
            PublishWeights();
            Become(Running);
            Stash.UnstashAll();
        });
        Receive<StartFailed>(failed =>
        {
            // A learner that cannot load its checkpoint must not silently train from scratch over it.
            _log.Error(failed.Cause, "Learner could not start: {0}", failed.Cause.Message);
            CoordinatedShutdown.Get(Context.System).Run(NodeFailedReason.Instance);
            Context.Stop(Self);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Running()
    {
        Receive<RolloutChunk>(OnChunk);
        Receive<NodeRegistration>(OnRegistration);
        Receive<NodeStatus>(status =>
        {
            // A status from a node not (yet) registered is ignored: its registration follows within an interval.
            _nodes.Report(Sender, status, Now());
        });
        Receive<Terminated>(t =>
        {
            if (_nodes.Remove(t.ActorRef) is { } gone)
            {
                _log.Info("Simulation node {0} left ({1} nodes remain)", gone.NodeId, _nodes.Count);
            }
            _paused.Remove(t.ActorRef);
        });
        Receive<UpdateFinished>(OnUpdateFinished);
        Receive<UpdateFailed>(failed =>
        {
            _updating = false;
            _updateSeconds += (_clock.Elapsed - _updateStarted).TotalSeconds;
            if (Unwrap(failed.Cause) is UpdateRejectedException refused)
            {
                // The learner kept its last good state; the reward plateau never sees a refused update.
                _rejectedUpdates++;
                _log.Warning("PPO update on {0} transitions refused ({1}); the batch is dropped, {2} refused so far", failed.Transitions, refused.Reason, _rejectedUpdates);
            }
            else
            {
                _log.Error(failed.Cause, "PPO update on {0} transitions failed; the batch is dropped", failed.Transitions);
            }
            TryStartUpdate();
        });
        Receive<Tick>(_ => OnTick());
        Receive<CheckpointNow>(_ =>
        {
            _leaving = true;
            _engine.CheckpointAsync().ContinueWith(t => t.IsCompletedSuccessfully ? (object)Done.Instance : new Status.Failure(t.Exception!.GetBaseException()))
                .PipeTo(Sender);
        });
        Receive<GetProgress>(_ => Sender.Tell(Progress()));
    }

    private void OnChunk(RolloutChunk chunk)
    {
        // Refused chunks are not acked: an honest node's unacked credit expires, and it re-registers within an interval.
        if (!_rolloutGate.Admit(Sender, _cluster is null || _nodes.HasAddress(Sender.Path.Address), "not from a registered simulation node"))
        {
            return;
        }
        _receivedChunks++;
        _receivedTransitions += chunk.TransitionCount;
        _rolloutBytes += ChunkBytes(chunk);
        _telemetry.AddRolloutBytesReceived(NodeTelemetry.PayloadBytes(chunk));
        long version = _state.PolicyVersion;
        if (chunk.PolicyVersion > version || version - chunk.PolicyVersion > _settings.MaxPolicyLag)
        {
            // Newer than ours: acted by weights of an earlier learner incarnation; the node gets ours on re-registration.
            _staleChunks++;
            _log.Debug("Dropped chunk {0}/{1}#{2}: policy {3}, learner at {4}", chunk.NodeId, chunk.ActorId, chunk.Sequence, chunk.PolicyVersion, version);
        }
        else
        {
            try
            {
                RolloutSegment segment = RolloutSegmentChunks.FromChunk(chunk, _ppo.ObservationSize, _ppo.ActionSize);
                _settings.RolloutBounds.Check(segment, _ppo.ObservationSize);
                _acceptedTransitions += segment.Transitions;
                _intervalTransitions += segment.Transitions;
                foreach (float r in segment.Rewards.Span)
                {
                    _intervalRewardSum += r;
                }
                if (_settings.Train && !_finished)
                {
                    _batch.Add(segment);
                }
            }
            catch (ArgumentException ex)
            {
                _rejectedChunks++;
                _log.Warning("Rejected rollout chunk from {0}: {1}", Sender.Path.Address, ex.Message);
            }
        }
        Acknowledge(chunk);
        TryStartUpdate();
    }

    private void Acknowledge(RolloutChunk chunk)
    {
        bool full = _finished || _batch.PendingTransitions >= _settings.EffectiveMaxBufferedTransitions;
        var ack = new RolloutAck(chunk.NodeId, chunk.ActorId, chunk.Sequence, full ? 0 : _settings.CreditWindow);
        if (full)
        {
            _paused[Sender] = ack;
        }
        else
        {
            _paused.Remove(Sender);
        }
        Sender.Tell(ack);
    }

    private void OnRegistration(NodeRegistration registration)
    {
        if (!_registrationGate.Admit(Sender, _cluster is null || ClusterMembers.HasRole(_cluster, Sender, ClusterRoles.Sim), "not a member with role sim"))
        {
            return;
        }
        if (registration.ObservationSize != _ppo.ObservationSize || registration.ActionSize != _ppo.ActionSize)
        {
            _log.Error(
                "Refused node {0}: it sends observation/action sizes {1}/{2}, the learner trains {3}/{4}",
                registration.NodeId, registration.ObservationSize, registration.ActionSize, _ppo.ObservationSize, _ppo.ActionSize);
            return;
        }
        if (_nodes.Register(Sender, registration, Now()))
        {
            Context.Watch(Sender);
            _log.Info(
                "Simulation node {0} registered: {1} actors, {2} agents ({3} nodes)",
                registration.NodeId, registration.ActorCount, registration.AgentCount, _nodes.Count);
            SendWeights(Sender);
        }
    }

    private void TryStartUpdate()
    {
        if (!_updating && !_finished && !_leaving && _settings.Train)
        {
            _staleChunks += _batch.DropOlderThan(_state.PolicyVersion - _settings.MaxPolicyLag);
            if (_batch.HasBatch)
            {
                IReadOnlyList<RolloutSegment> batch = _batch.TakeBatch();
                int transitions = batch.Sum(s => s.Transitions);
                _updating = true;
                _updateStarted = _clock.Elapsed;
                _engine.UpdateAsync(batch, _nodes.Count).PipeTo(Self, success: u => new UpdateFinished(u), failure: ex => new UpdateFailed(ex, transitions));
            }
        }
        // Whatever drained the backlog (a batch taken, stale data dropped), paused senders may go on.
        ResumePaused();
    }

    private void OnUpdateFinished(UpdateFinished finished)
    {
        _updating = false;
        _updateSeconds += (_clock.Elapsed - _updateStarted).TotalSeconds;
        _lastUpdateAt = _clock.Elapsed;
        LearnerUpdate update = finished.Update;
        _state = update.State;
        _lastUpdate = update.Stats;
        _lastCheckpoint = update.Checkpoint ?? _lastCheckpoint;
        UpdateStats stats = update.Stats;
        foreach (IActorRef node in _nodes.Refs)
        {
            SendWeights(node);
        }
        if (_settings.MaxUpdates > 0 && _state.UpdateCount >= _settings.MaxUpdates)
        {
            _finished = true;
            _log.Info("Reached {0} updates; training has ended at policy version {1} and rollouts are now paused", _settings.MaxUpdates, _state.PolicyVersion);
        }
        else if (_plateau.Add(stats.MeanReward))
        {
            _finished = true;
            _log.Info(FormattableString.Invariant(
                $"Converged: mean reward of the last {_settings.PlateauWindow} updates improved by {_plateau.LastImprovement:P2} (< {_settings.PlateauMinImprovement:P2}); training has ended at policy version {_state.PolicyVersion} and rollouts are now paused"));
        }
        PublishWeights();
        PublishProgress();
        TryStartUpdate();
    }

    private void OnTick()
    {
        TimeSpan now = _clock.Elapsed;
        double seconds = (now - _lastTick).TotalSeconds;
        _lastTick = now;
        if (_intervalTransitions > 0)
        {
            _recentMeanReward = _intervalRewardSum / _intervalTransitions;
        }
        _recentTransitionsPerSecond = seconds > 0 ? _intervalTransitions / seconds : 0.0;
        _intervalRewardSum = 0;
        _intervalTransitions = 0;

        foreach ((IActorRef node, NodeRegistration registration) in _nodes.RemoveSilentSince(Now() - _settings.NodeTimeout.Ticks))
        {
            Context.Unwatch(node);
            _paused.Remove(node);
            _log.Warning("Simulation node {0} has not re-registered for {1}; forgotten", registration.NodeId, _settings.NodeTimeout);
        }
        PublishProgress();
    }

    private void PublishProgress()
    {
        LearnerProgress progress = Progress();
        Context.System.EventStream.Publish(progress);
        Context.System.EventStream.Publish(progress.Status);
        // For node-local watchers (the dashboard); a few hundred bytes once a second, nothing on the wire.
        Context.System.EventStream.Publish(new TrainingSnapshot(
            "learner", progress.Status.PolicyVersion, progress.Status.Updates, progress.Status.TotalTransitions, progress.Status.MeanReward,
            _lastUpdate?.ApproxKl, progress.UpdateSeconds, progress.WallSeconds, progress.Status.TransitionsPerSecond, _nodes.Snapshot(Now()),
            _settings.CheckpointDirectory, _lastCheckpoint, progress.Finished));
    }

    // The same chunks the nodes get; on the EventStream they are references, so this copies nothing.
    private void PublishWeights()
    {
        foreach (PolicyWeightsChunk chunk in _state.Weights)
        {
            Context.System.EventStream.Publish(chunk);
        }
    }

    private void ResumePaused()
    {
        if (_finished || _batch.PendingTransitions >= _settings.EffectiveMaxBufferedTransitions)
        {
            return;
        }
        foreach ((IActorRef sender, RolloutAck ack) in _paused)
        {
            sender.Tell(ack with { Window = _settings.CreditWindow });
        }
        _paused.Clear();
    }

    private void SendWeights(IActorRef node)
    {
        foreach (PolicyWeightsChunk chunk in _state.Weights)
        {
            node.Tell(chunk);
        }
    }

    private LearnerProgress Progress()
    {
        double reward = _settings.Train && _lastUpdate is not null ? _lastUpdate.MeanReward : _recentMeanReward;
        // Converged means "training has ended and this policy is final" (budget spent or reward plateau).
        var status = new TrainingStatus(_state.PolicyVersion, _state.UpdateCount, _state.TotalTransitions, reward, _recentTransitionsPerSecond, Converged: _finished);
        // Busy time includes the running update so far, so utilisation over any window stays within [0, 1].
        TimeSpan now = _clock.Elapsed;
        double busy = _updateSeconds + (_updating ? (now - _updateStarted).TotalSeconds : 0.0);
        return new LearnerProgress(
            status, _nodes.Count, _receivedChunks, _receivedTransitions, _acceptedTransitions, _staleChunks, _rejectedChunks,
            _rolloutBytes, busy, now.TotalSeconds, _nodes.AgentStepsPerSecond, _lastUpdate, _finished)
        { RejectedUpdates = _rejectedUpdates, RefusedMessages = _rolloutGate.Refused + _registrationGate.Refused, LastUpdateWallSeconds = _lastUpdateAt.TotalSeconds };
    }

    // Blob bytes plus an allowance for the msgpack header fields (ids, sizes, bin headers): ~60 bytes per chunk.
    private static long ChunkBytes(RolloutChunk chunk)
    {
        return 60L + (chunk.NodeId?.Length ?? 0) + (chunk.Observations?.LongLength ?? 0) + (chunk.Actions?.LongLength ?? 0)
            + (chunk.LogProbs?.LongLength ?? 0) + (chunk.Rewards?.LongLength ?? 0) + (chunk.Flags?.LongLength ?? 0)
            + (chunk.NextObservations?.LongLength ?? 0);
    }

    private static Exception Unwrap(Exception ex)
    {
        return ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : ex;
    }

    private static long Now()
    {
        return DateTime.UtcNow.Ticks;
    }
}
