using System.Diagnostics;
using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using MsMano.Cluster.Learner;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Monitoring;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;
using MsMano.Learning.Ppo;
using static Akka.Cluster.ClusterEvent;
using static MsMano.Cluster.Learner.LearnerProtocol;

namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>
/// The data-parallel group's coordinator (the cluster singleton where the central learner would run). It owns
/// membership, the round barrier, the policy version and the state hash every copy must have, the straggler rule,
/// re-planning a reduction over the survivors when a member dies, resyncing joining or diverged members from an
/// in-sync one, checkpoints, and the evaluation trigger. It moves no gradients: those go round the ring.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor, IWithTimers, IWithStash
{
    private readonly LearnerSettings _settings;
    private readonly DataParallelSettings _dp;
    private readonly PpoConfig _ppo;
    private readonly CoordinatorStore _store;
    private readonly RewardPlateau _plateau;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Trust.CoordinatorGate _gate;
    private readonly Dictionary<IActorRef, MemberInfo> _members = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<IActorRef> _roundMembers = [];
    private readonly Dictionary<IActorRef, int> _shards = [];
    private readonly List<IActorRef> _ring = [];
    private readonly Dictionary<IActorRef, UpdateDone> _done = [];
    private readonly Dictionary<IActorRef, TimeSpan> _syncing = [];
    private readonly Dictionary<IActorRef, PolicyWeightsReassembler> _incomingState = [];
    private readonly List<IActorRef> _checkpointWaiters = [];
    private GroupState? _checkpoint;
    private long _version = -1;
    private string? _hash;
    private long _totalTransitions;
    private Phase _phase = Phase.Gathering;
    private TimeSpan _phaseStarted;
    private long _round;
    private int _attempt;
    private bool _stopSent;
    private bool _finished;
    private bool _leaving;
    private bool _checkpointRequested;
    private UpdateStats? _lastUpdate;
    private double _updateSeconds;
    private long _roundTransitions;
    private long _intervalTransitions;
    private TimeSpan _lastTick;
    private TimeSpan _lastUpdateAt;
    private double _recentTransitionsPerSecond;
    private long _centralModeWarnings;

    public CoordinatorActor(LearnerSettings settings, PpoConfig ppo, DataParallelSettings dataParallel)
    {
        _settings = settings.Validate();
        _ppo = ppo.Validate();
        _dp = dataParallel.Validate();
        _store = new CoordinatorStore(_ppo, _settings.CheckpointDirectory);
        _plateau = new RewardPlateau(_settings.PlateauWindow, _settings.PlateauMinImprovement);
        _gate = new Trust.CoordinatorGate(_cluster, _log, _dp.MemberWait);
        Starting();
    }

    private enum Phase
    {
        Gathering,
        Idle,
        Syncing,
        Collecting,
        Reducing,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(LearnerSettings settings, PpoConfig ppo, DataParallelSettings dataParallel)
    {
        return Akka.Actor.Props.Create(() => new CoordinatorActor(settings, ppo, dataParallel));
    }

    protected override void PreStart()
    {
        _store.LoadAsync().PipeTo(Self, success: s => new Loaded(s), failure: ex => new StartFailed(ex));
        _cluster.Subscribe(Self, InitialStateAsEvents, typeof(IReachabilityEvent), typeof(MemberRemoved), typeof(MemberJoined), typeof(MemberUp), typeof(MemberWeaklyUp));
        Timers.StartPeriodicTimer(Trust.CoordinatorGate.ExpiryTick.Instance, Trust.CoordinatorGate.ExpiryTick.Instance, TimeSpan.FromSeconds(1));
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _store.Dispose();
    }

    private void Starting()
    {
        Receive<Loaded>(loaded =>
        {
            _checkpoint = loaded.State;
            if (_checkpoint is { } c)
            {
                _totalTransitions = c.TotalTransitions;
                _log.Info("Coordinator: checkpoint at policy v{0} ({1} transitions); members that are behind get it", c.PolicyVersion, c.TotalTransitions);
            }
            _finished = _settings.MaxUpdates > 0 && (_checkpoint?.Updates ?? 0) >= _settings.MaxUpdates;
            _phaseStarted = _clock.Elapsed;
            Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, TimeSpan.FromMilliseconds(200));
            Timers.StartPeriodicTimer(ProgressTick.Instance, ProgressTick.Instance, _settings.ProgressInterval);
            _log.Info("Data-parallel coordinator ready: global batch {0} transitions, straggler fraction {1}", _settings.BatchSize, _dp.StragglerFraction);
            Become(Running);
            Stash.UnstashAll();
        });
        Receive<StartFailed>(failed =>
        {
            _log.Error(failed.Cause, "Coordinator could not load its checkpoint: {0}", failed.Cause.Message);
            CoordinatedShutdown.Get(Context.System).Run(Cluster.Shutdown.NodeFailedReason.Instance);
            Context.Stop(Self);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Running()
    {
        // Gates first: a refused (or, for a hello from a member not yet seen, held) message is dropped here.
        Receive<TrainerHello>(hello => !_gate.AdmitHello(Sender, hello), _ => { });
        Receive<ShardReady>(_ => !_gate.AdmitRoundMessage(Sender, _members.ContainsKey(Sender)), _ => { });
        Receive<UpdateDone>(_ => !_gate.AdmitRoundMessage(Sender, _members.ContainsKey(Sender)), _ => { });
        Receive<UpdateAborted>(_ => !_gate.AdmitRoundMessage(Sender, _members.ContainsKey(Sender)), _ => { });
        Receive<StateChunk>(_ => !_gate.AdmitState(Sender, _members.ContainsKey(Sender)), _ => { });
        Receive<TrainerHello>(OnHello);
        Receive<ShardReady>(OnShardReady);
        Receive<UpdateDone>(OnUpdateDone);
        Receive<UpdateAborted>(aborted =>
        {
            if (_phase == Phase.Reducing && aborted.Round == _round && aborted.Attempt == _attempt)
            {
                _log.Warning("Coordinator: member {0} abandoned round {1} attempt {2}: {3}", Name(Sender), aborted.Round, aborted.Attempt, aborted.Reason);
                Replan($"{Name(Sender)} abandoned it");
            }
        });
        Receive<StateChunk>(OnStateChunk);
        Receive<Saved>(OnSaved);
        Receive<Status.Failure>(failed => _log.Error(failed.Cause, "Coordinator: {0}", failed.Cause.Message));
        Receive<Terminated>(t => Lose(t.ActorRef, "stopped"));
        Receive<UnreachableMember>(u => LoseAddress(u.Member.Address, "unreachable"));
        Receive<MemberRemoved>(r =>
        {
            _gate.MemberGone(r.Member);
            LoseAddress(r.Member.Address, "removed");
        });
        Receive<MemberJoined>(e => ReleaseHellos(e.Member));
        Receive<MemberUp>(e => ReleaseHellos(e.Member));
        Receive<MemberWeaklyUp>(e => ReleaseHellos(e.Member));
        Receive<Trust.CoordinatorGate.ExpiryTick>(_ => _gate.ExpireWaiting());
        Receive<ReachableMember>(_ => { });
        Receive<Tick>(_ => Advance());
        Receive<ProgressTick>(_ => OnProgressTick());
        Receive<CheckpointNow>(_ =>
        {
            _leaving = true;
            _checkpointWaiters.Add(Sender);
            // A round in flight finishes first: its members are the only copies of the update it is making.
            if (_phase is not (Phase.Collecting or Phase.Reducing))
            {
                CheckpointForLeave();
            }
        });
        Receive<GetProgress>(_ => Sender.Tell(Progress()));
        Receive<RolloutChunk>(chunk =>
        {
            // A node started with --learning central: its rollouts have no learner here. Pause it and say so.
            if (_centralModeWarnings++ % 100 == 0)
            {
                _log.Warning("Coordinator: node {0} sends rollouts, but this cluster learns data-parallel; start it with --learning data-parallel", chunk.NodeId);
            }
            Sender.Tell(new RolloutAck(chunk.NodeId, chunk.ActorId, chunk.Sequence, 0));
        });
        Receive<NodeRegistration>(_ => { });
        Receive<NodeStatus>(_ => { });
    }

    // Hellos held until the coordinator knew their member: judged again, now by its roles.
    private void ReleaseHellos(Member member)
    {
        foreach ((IActorRef sender, TrainerHello hello) in _gate.MemberSeen(member))
        {
            Self.Tell(hello, sender);
        }
    }

    private void OnHello(TrainerHello hello)
    {
        if (hello.ObservationSize != _ppo.ObservationSize || hello.ActionSize != _ppo.ActionSize)
        {
            _log.Error("Coordinator: refused trainer {0}: it trains {1}/{2} observation/action sizes, the group {3}/{4}",
                hello.NodeId, hello.ObservationSize, hello.ActionSize, _ppo.ObservationSize, _ppo.ActionSize);
            return;
        }
        if (!_members.TryGetValue(Sender, out MemberInfo? member))
        {
            _members[Sender] = member = new MemberInfo(hello.NodeId);
            Context.Watch(Sender);
            _log.Info("Coordinator: trainer {0} joined at v{1} ({2} members)", hello.NodeId, hello.PolicyVersion, _members.Count);
        }
        member.Version = hello.PolicyVersion;
        member.Hash = hello.StateHash;
        member.AgentStepsPerSecond = hello.AgentStepsPerSecond;
        member.Agents = hello.Agents;
        member.LastHeard = _clock.Elapsed;
        if (_syncing.ContainsKey(Sender) && InSync(member))
        {
            _syncing.Remove(Sender);
            _log.Info("Coordinator: trainer {0} is in sync at v{1}", member.NodeId, member.Version);
        }
    }

    private void Advance()
    {
        TimeSpan now = _clock.Elapsed;
        switch (_phase)
        {
            case Phase.Gathering when now - _phaseStarted >= _dp.GatherPeriod && _members.Count > 0:
                ChooseGroupState();
                Enter(Phase.Idle);
                goto case Phase.Idle;
            case Phase.Idle:
                if (_finished || _leaving || _hash is null)
                {
                    return;
                }
                if (StartSyncs())
                {
                    Enter(Phase.Syncing);
                    return;
                }
                StartRound();
                return;
            case Phase.Syncing:
                foreach (IActorRef late in _syncing.Where(s => now - s.Value > _dp.SyncTimeout).Select(s => s.Key).ToList())
                {
                    _syncing.Remove(late);
                    if (_members.TryGetValue(late, out MemberInfo? m))
                    {
                        m.NextSyncAfter = now + TimeSpan.FromSeconds(30);
                        _log.Warning("Coordinator: trainer {0} did not reach v{1} within {2}; the round starts without it", m.NodeId, _version, _dp.SyncTimeout);
                    }
                }
                if (_syncing.Count == 0)
                {
                    Enter(Phase.Idle);
                    StartRound();
                }
                return;
            case Phase.Collecting when _stopSent && now - _phaseStarted > _dp.CollectTimeout:
                foreach (IActorRef silent in _roundMembers.Where(m => !_shards.ContainsKey(m)).ToList())
                {
                    _log.Warning("Coordinator: trainer {0} sent no shard within {1}; round {2} goes on without it", Name(silent), _dp.CollectTimeout, _round);
                    _roundMembers.Remove(silent);
                }
                TryReduce();
                return;
            case Phase.Reducing when now - _phaseStarted > _dp.ReduceTimeout * 4:
                Replan("no result in time");
                return;
        }
    }

    // A new coordinator takes the most advanced state around: the members' if any is at least as new as the
    // checkpoint (a coordinator restart must not roll the live group back), else the checkpoint's.
    private void ChooseGroupState()
    {
        MemberInfo? best = _members.Values.OrderByDescending(m => m.Version).FirstOrDefault();
        if (_checkpoint is { } c && (best is null || c.PolicyVersion > best.Version))
        {
            _version = c.PolicyVersion;
            _hash = c.StateHash;
            _log.Info("Coordinator: the group resumes from the checkpoint at v{0}", _version);
        }
        else if (best is not null)
        {
            _version = best.Version;
            _hash = best.Hash;
            _log.Info("Coordinator: the group goes on from trainer {0}'s state at v{1}", best.NodeId, _version);
        }
    }

    private bool StartSyncs()
    {
        TimeSpan now = _clock.Elapsed;
        var donors = _members.Where(m => InSync(m.Value)).Select(m => m.Key).ToList();
        foreach ((IActorRef trainer, MemberInfo member) in _members)
        {
            if (InSync(member) || _syncing.ContainsKey(trainer) || now < member.NextSyncAfter)
            {
                continue;
            }
            string target = Akka.Serialization.Serialization.SerializedActorPath(trainer);
            if (donors.Count > 0)
            {
                IActorRef donor = donors[_syncing.Count % donors.Count];
                donor.Tell(new SendState(_round, target));
                _log.Info("Coordinator: trainer {0} is at v{1}/{2}, the group at v{3}/{4}; {5} sends it the state", member.NodeId, member.Version, member.Hash, _version, _hash, Name(donor));
            }
            else if (_checkpoint is { } c && c.PolicyVersion == _version && c.StateHash == _hash)
            {
                foreach (PolicyWeightsChunk part in PolicyWeightsChunker.Split(c.PolicyVersion, c.Blob))
                {
                    trainer.Tell(new StateChunk(c.StateHash, part));
                }
                _log.Info("Coordinator: sending the checkpoint state v{0} to trainer {1}", c.PolicyVersion, member.NodeId);
            }
            else
            {
                continue;
            }
            _syncing[trainer] = now;
        }
        return _syncing.Count > 0;
    }

    private void StartRound()
    {
        var members = _members.Where(m => InSync(m.Value)).Select(m => m.Key).ToList();
        if (members.Count == 0)
        {
            return;
        }
        _round++;
        _attempt = 0;
        _roundMembers.Clear();
        _shards.Clear();
        _done.Clear();
        _ring.Clear();
        _stopSent = false;
        // Shares follow each member's measured speed, so a slower or busier node does not hold the round's barrier.
        int[] shares = ShareBalancer.Shares(Math.Max(_settings.BatchSize, members.Count), members.Select(m => _members[m].SecondsPerTransition).ToArray());
        for (int i = 0; i < members.Count; i++)
        {
            _roundMembers.Add(members[i]);
            members[i].Tell(new RoundStart(_round, _version, _hash!, shares[i]));
        }
        Enter(Phase.Collecting);
    }

    private void OnShardReady(ShardReady ready)
    {
        if (_phase != Phase.Collecting || ready.Round != _round || !_roundMembers.Contains(Sender))
        {
            return;
        }
        _shards[Sender] = ready.Transitions;
        if (_members.TryGetValue(Sender, out MemberInfo? member))
        {
            member.AgentStepsPerSecond = ready.AgentStepsPerSecond;
        }
        int needed = (int)Math.Ceiling(_dp.StragglerFraction * _roundMembers.Count);
        if (!_stopSent && _shards.Count >= needed && _shards.Count < _roundMembers.Count)
        {
            _stopSent = true;
            _phaseStarted = _clock.Elapsed;
            foreach (IActorRef straggler in _roundMembers.Where(m => !_shards.ContainsKey(m)))
            {
                straggler.Tell(new StopCollecting(_round));
            }
        }
        TryReduce();
    }

    private void TryReduce()
    {
        if (_phase != Phase.Collecting || _roundMembers.Any(m => !_shards.ContainsKey(m)))
        {
            return;
        }
        _roundTransitions = _roundMembers.Sum(m => (long)_shards[m]);
        if (_roundTransitions == 0)
        {
            Enter(Phase.Idle);
            return;
        }
        _ring.Clear();
        _ring.AddRange(_roundMembers.OrderBy(m => m.Path.ToString(), StringComparer.Ordinal));
        SendPlan();
        Enter(Phase.Reducing);
    }

    private void SendPlan()
    {
        _done.Clear();
        string[] ring = _ring.Select(Akka.Serialization.Serialization.SerializedActorPath).ToArray();
        var plan = new ReducePlan(_round, _attempt, ring);
        foreach (IActorRef trainer in _ring)
        {
            trainer.Tell(plan);
        }
    }

    private void Replan(string why)
    {
        if (_phase != Phase.Reducing)
        {
            return;
        }
        _ring.RemoveAll(t => !_members.ContainsKey(t));
        if (_ring.Count == 0 || _attempt + 1 >= _dp.MaxAttempts)
        {
            _log.Error("Coordinator: round {0} given up after {1} attempts ({2}); members resync to v{3}", _round, _attempt + 1, why, _version);
            Enter(Phase.Idle);
            if (_leaving)
            {
                CheckpointForLeave();
            }
            return;
        }
        _attempt++;
        _log.Warning("Coordinator: round {0} re-planned as attempt {1} over {2} members ({3})", _round, _attempt, _ring.Count, why);
        SendPlan();
        _phaseStarted = _clock.Elapsed;
    }

    private void OnUpdateDone(UpdateDone done)
    {
        if (_phase != Phase.Reducing || done.Round != _round || done.Attempt != _attempt || !_ring.Contains(Sender))
        {
            return;
        }
        _done[Sender] = done;
        if (_members.TryGetValue(Sender, out MemberInfo? member))
        {
            member.Version = done.PolicyVersion;
            member.Hash = done.StateHash;
            member.SecondsPerTransition = ShareBalancer.Update(member.SecondsPerTransition, done.WorkSeconds, _shards.GetValueOrDefault(Sender));
        }
        TryFinishRound();
    }

    private void TryFinishRound()
    {
        if (_phase != Phase.Reducing || _ring.Any(t => !_done.ContainsKey(t)))
        {
            return;
        }
        // The copies must agree; the majority's hash is the group's, any other member is resynced at the next boundary.
        IGrouping<(long PolicyVersion, string StateHash), UpdateDone> majority = _done.Values.GroupBy(d => (d.PolicyVersion, d.StateHash)).OrderByDescending(g => g.Count()).First();
        foreach ((IActorRef trainer, UpdateDone d) in _done)
        {
            if (d.StateHash != majority.Key.StateHash || d.PolicyVersion != majority.Key.PolicyVersion)
            {
                _log.Error("Coordinator: trainer {0} diverged after round {1} (hash {2}, group {3}); it will be resynced", Name(trainer), _round, d.StateHash, majority.Key.StateHash);
            }
        }
        UpdateDone first = majority.First();
        _version = majority.Key.PolicyVersion;
        _hash = majority.Key.StateHash;
        _totalTransitions += first.Transitions;
        _intervalTransitions += first.Transitions;
        _lastUpdateAt = _clock.Elapsed;
        double seconds = (_clock.Elapsed - _phaseStarted).TotalSeconds;
        _updateSeconds += seconds;
        _lastUpdate = new UpdateStats(
            _version, _version, first.PolicyLoss, first.ValueLoss, first.Entropy, first.ApproxKl, 0, double.NaN,
            first.LearningRate, 0, first.MeanReward, first.Transitions, first.Seconds, 0);
        _log.Info(FormattableString.Invariant(
            $"Update {_version}: policy v{_version}, reward {first.MeanReward:F3}, {first.Transitions} transitions over {_ring.Count} trainers in {first.Seconds:F2} s, kl {first.ApproxKl:F4}, attempt {_attempt}"));

        if (_settings.MaxUpdates > 0 && _version >= _settings.MaxUpdates)
        {
            _finished = true;
            _log.Info("Reached {0} updates; training has ended at policy version {1}", _settings.MaxUpdates, _version);
        }
        else if (_plateau.Add(first.MeanReward))
        {
            _finished = true;
            _log.Info(FormattableString.Invariant(
                $"Converged: mean reward of the last {_settings.PlateauWindow} updates improved by {_plateau.LastImprovement:P2}; training has ended at policy version {_version}"));
        }
        Enter(Phase.Idle);
        if (_leaving && _checkpointWaiters.Count > 0)
        {
            CheckpointForLeave();
        }
        else if (_finished || (_settings.CheckpointEvery > 0 && _version % _settings.CheckpointEvery == 0))
        {
            RequestCheckpoint();
        }
        PublishProgress();
        Advance();
    }

    // Leaving: checkpoint from an in-sync member if one is left, else answer at once (nothing newer to save).
    private void CheckpointForLeave()
    {
        // Already saved at the group's version (the end of a run asks twice: before its trainers leave, and as it leaves).
        bool current = _checkpoint is { } saved && saved.PolicyVersion == _version && saved.StateHash == _hash;
        if (!current && RequestCheckpoint())
        {
            return;
        }
        foreach (IActorRef waiter in _checkpointWaiters)
        {
            waiter.Tell(Done.Instance);
        }
        _checkpointWaiters.Clear();
    }

    private bool RequestCheckpoint()
    {
        IActorRef donor = _members.FirstOrDefault(m => InSync(m.Value)).Key;
        if (donor is null || _version <= 0)
        {
            return false;
        }
        if (!_checkpointRequested)
        {
            _checkpointRequested = true;
            donor.Tell(new SendState(_round, Akka.Serialization.Serialization.SerializedActorPath(Self)));
        }
        return true;
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
            _incomingState.Remove(Sender);
            _checkpointRequested = false;
            _log.Warning("Coordinator: state chunk from {0} refused: {1}", Name(Sender), result.Reason ?? "");
            return;
        }
        if (result.Status == ReassemblyStatus.Completed)
        {
            _incomingState.Remove(Sender);
            _store.SaveAsync(result.Snapshot!, $"state v{result.Version} from {Name(Sender)}")
                .PipeTo(Self, success: s => new Saved(s.State, s.Checkpoint), failure: ex => new Status.Failure(ex));
        }
    }

    private void OnSaved(Saved saved)
    {
        _checkpointRequested = false;
        _checkpoint = saved.State;
        if (saved.State.StateHash != _hash && saved.State.PolicyVersion == _version)
        {
            _log.Error("Coordinator: the checkpoint state hashes to {0}, the group to {1}", saved.State.StateHash, _hash ?? "");
        }
        // Weights before the status, so an evaluation triggered by a final status already has this policy.
        foreach (PolicyWeightsChunk chunk in saved.State.Weights)
        {
            Context.System.EventStream.Publish(chunk);
        }
        PublishProgress();
        foreach (IActorRef waiter in _checkpointWaiters)
        {
            waiter.Tell(Done.Instance);
        }
        _checkpointWaiters.Clear();
    }

    private void LoseAddress(Address address, string why)
    {
        foreach (IActorRef trainer in _members.Keys.Where(t => t.Path.Address.Equals(address)).ToList())
        {
            Lose(trainer, why);
        }
    }

    private void Lose(IActorRef trainer, string why)
    {
        if (!_members.Remove(trainer, out MemberInfo? member))
        {
            return;
        }
        Context.Unwatch(trainer);
        _syncing.Remove(trainer);
        _incomingState.Remove(trainer);
        if (_leaving)
        {
            // The end of a run: members leave on purpose after the last round.
            _log.Info("Coordinator: trainer {0} left the group ({1}); {2} members remain", member.NodeId, why, _members.Count);
        }
        else
        {
            _log.Warning("Coordinator: trainer {0} left the group ({1}); {2} members remain", member.NodeId, why, _members.Count);
        }
        switch (_phase)
        {
            case Phase.Collecting:
                _roundMembers.Remove(trainer);
                TryReduce();
                break;
            case Phase.Reducing when _ring.Contains(trainer):
                // Members downstream of it cannot finish this attempt; survivors that already did undo and redo it.
                bool othersDone = _ring.Where(t => !t.Equals(trainer)).All(_done.ContainsKey);
                _ring.Remove(trainer);
                _done.Remove(trainer);
                if (othersDone && _ring.Count > 0)
                {
                    TryFinishRound();
                }
                else
                {
                    Replan($"{member.NodeId} {why}");
                }
                break;
        }
        if (_phase == Phase.Syncing && _syncing.Count == 0)
        {
            Enter(Phase.Idle);
        }
    }

    private void OnProgressTick()
    {
        TimeSpan now = _clock.Elapsed;
        double seconds = (now - _lastTick).TotalSeconds;
        _lastTick = now;
        _recentTransitionsPerSecond = seconds > 0 ? _intervalTransitions / seconds : 0.0;
        _intervalTransitions = 0;
        PublishProgress();
    }

    private void PublishProgress()
    {
        LearnerProgress progress = Progress();
        Context.System.EventStream.Publish(progress);
        Context.System.EventStream.Publish(progress.Status);
        // For the dashboard on this node: the group as one trainer, each member with its own agents, rate and version
        // (a trainer node runs one simulation actor per core; the hello carries agents, not actors, so actors stay 0).
        TimeSpan now = _clock.Elapsed;
        Context.System.EventStream.Publish(new TrainingSnapshot(
            "data-parallel", progress.Status.PolicyVersion, progress.Status.Updates, progress.Status.TotalTransitions, progress.Status.MeanReward,
            _lastUpdate?.ApproxKl, progress.UpdateSeconds, progress.WallSeconds, progress.Status.TransitionsPerSecond,
            [.. _members.OrderBy(m => m.Value.NodeId, StringComparer.Ordinal).Select(m => new SimulationNodeSnapshot(
                m.Value.NodeId, m.Key.Path.Address.ToString(), 0, m.Value.Agents, m.Value.AgentStepsPerSecond, m.Value.Version,
                (now - m.Value.LastHeard).TotalSeconds))],
            null, null, progress.Finished));
    }

    private LearnerProgress Progress()
    {
        long version = Math.Max(0, _version);
        var status = new TrainingStatus(version, version, _totalTransitions, _lastUpdate?.MeanReward ?? 0.0, _recentTransitionsPerSecond, Converged: _finished);
        double busy = _updateSeconds + (_phase == Phase.Reducing ? (_clock.Elapsed - _phaseStarted).TotalSeconds : 0.0);
        return new LearnerProgress(
            status, _members.Count, 0, _totalTransitions, _totalTransitions, 0, 0, 0, busy, _clock.Elapsed.TotalSeconds,
            _members.Values.Sum(m => m.AgentStepsPerSecond), _lastUpdate, _finished)
        { RefusedMessages = _gate.Refused, LastUpdateWallSeconds = _lastUpdateAt.TotalSeconds };
    }

    private void Enter(Phase phase)
    {
        _phase = phase;
        _phaseStarted = _clock.Elapsed;
    }

    private bool InSync(MemberInfo member) => _hash is not null && member.Version == _version && member.Hash == _hash;

    private string Name(IActorRef trainer) => _members.TryGetValue(trainer, out MemberInfo? m) ? m.NodeId : trainer.Path.ToString();

    private sealed class MemberInfo(string nodeId)
    {
        public string NodeId { get; } = nodeId;

        public long Version { get; set; } = -1;

        public string Hash { get; set; } = "";

        public double AgentStepsPerSecond { get; set; }

        /// <summary>Running cost of one transition on this member (its share of the update's compute), NaN until its first round.</summary>
        public double SecondsPerTransition { get; set; } = double.NaN;

        public int Agents { get; set; }

        public TimeSpan LastHeard { get; set; }

        public TimeSpan NextSyncAfter { get; set; }
    }

    private sealed record Loaded(GroupState? State) : INoSerializationVerificationNeeded;

    private sealed record Saved(GroupState State, string? Checkpoint) : INoSerializationVerificationNeeded;

    private sealed record ProgressTick : INoSerializationVerificationNeeded
    {
        public static readonly ProgressTick Instance = new();
    }
}
