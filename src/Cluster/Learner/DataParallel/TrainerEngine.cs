using MessagePack;
using MsMano.Cluster.Workers;
using MsMano.Contracts.Policy;
using MsMano.Learning.Checkpoints;
using MsMano.Learning.DataParallel;
using MsMano.Learning.Ppo;
using TorchSharp;

namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>A member's replica as of one moment: version, state hash and the weights its simulation actors act with.</summary>
public sealed record TrainerState(long PolicyVersion, string StateHash, IReadOnlyList<PolicyWeightsChunk> Weights);

/// <summary>
/// A data-parallel member's <see cref="PpoLearner"/> on one dedicated thread (torch state stays on one thread; the
/// ring's blocking waits happen there too, never on an actor thread). Before each group update it keeps the state,
/// so an abandoned reduction, or a re-plan after this member finished, undoes the update exactly.
/// </summary>
public sealed class TrainerEngine : IDisposable
{
    private readonly DedicatedWorker _worker;
    private readonly PpoConfig _config;
    private readonly int _torchThreads;
    private PpoLearner? _learner;
    private bool _canUndo;

    public TrainerEngine(PpoConfig config, int torchThreads, string name)
    {
        _config = config.Validate();
        _torchThreads = torchThreads;
        _worker = new DedicatedWorker(name);
    }

    /// <summary>The last update's phases: the update itself, then exporting weights and hash.</summary>
    public (TimeSpan Update, TimeSpan Export) LastTimings { get; private set; }

    public Task<TrainerState> StartAsync()
    {
        return _worker.Run(() =>
        {
            if (_torchThreads > 0)
            {
                torch.set_num_threads(_torchThreads);
            }
            _learner = new PpoLearner(_config);
            return State();
        });
    }

    /// <summary>This member's share of one group update; on an abandoned reduction the state is put back and the exception rethrown.</summary>
    public Task<(UpdateStats Stats, TrainerState State)> UpdateAsync(IReadOnlyList<RolloutSegment> shard, IAllReduce group)
    {
        return _worker.Run(() =>
        {
            PpoLearner learner = Started();
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                UpdateStats stats = learner.Update(shard, group);
                long updated = System.Diagnostics.Stopwatch.GetTimestamp();
                TrainerState state = State();
                _canUndo = true;
                LastTimings = (System.Diagnostics.Stopwatch.GetElapsedTime(started, updated), System.Diagnostics.Stopwatch.GetElapsedTime(updated));
                return (stats, state);
            }
            catch
            {
                // The learner kept its pre-update state (its guard copies it anyway): no serialised copy per update.
                learner.RevertLastUpdate();
                _canUndo = false;
                throw;
            }
        });
    }

    /// <summary>Undoes the last update (it finished here, but the group re-planned it without this member's result).</summary>
    public Task<TrainerState> UndoLastUpdateAsync()
    {
        return _worker.Run(() =>
        {
            PpoLearner learner = Started();
            if (_canUndo)
            {
                learner.RevertLastUpdate();
                _canUndo = false;
            }
            return State();
        });
    }

    /// <summary>The whole training state, for a joining member or the coordinator's checkpoint.</summary>
    public Task<(byte[] Blob, TrainerState State)> CaptureAsync()
    {
        return _worker.Run(() =>
        {
            PpoLearner learner = Started();
            return (LearnerStateBlob.Capture(learner), State());
        });
    }

    public Task<TrainerState> InstallAsync(byte[] blob, string source)
    {
        return _worker.Run(() =>
        {
            PpoLearner learner = Started();
            LearnerStateBlob.Restore(learner, blob, source);
            _canUndo = false;
            return State();
        });
    }

    public void Dispose()
    {
        _ = _worker.Run(() =>
        {
            _learner?.Dispose();
            return true;
        });
        _worker.Stop(TimeSpan.FromSeconds(30));
    }

    private PpoLearner Started() => _learner ?? throw new InvalidOperationException("TrainerEngine.StartAsync has not completed.");

    private TrainerState State()
    {
        PpoLearner learner = Started();
        byte[] bytes = MessagePackSerializer.Serialize(learner.ExportPolicy());
        return new TrainerState(learner.PolicyVersion, learner.StateHash(), PolicyWeightsChunker.Split(learner.PolicyVersion, bytes));
    }
}
