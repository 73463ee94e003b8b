using MessagePack;
using MsMano.Cluster.Workers;
using MsMano.Contracts.Policy;
using MsMano.Learning.Checkpoints;
using MsMano.Learning.Metrics;
using MsMano.Learning.Ppo;
using Serilog;
using TorchSharp;

namespace MsMano.Cluster.Learner;

/// <summary>The learner's counters and current weights as of one moment.</summary>
public sealed record LearnerState(long PolicyVersion, long UpdateCount, long TotalTransitions, IReadOnlyList<PolicyWeightsChunk> Weights);

/// <summary>One finished update: its statistics, the new state and the checkpoint written after it (if any).</summary>
public sealed record LearnerUpdate(UpdateStats Stats, LearnerState State, string? Checkpoint);

/// <summary>
/// Owns the <see cref="PpoLearner"/> (TorchSharp state) on one dedicated thread, so every torch call happens on the
/// same thread, in order, and never on the actor's dispatcher. The actor sees only tasks to pipe back.
/// </summary>
public sealed class LearnerEngine : IDisposable
{
    /// <summary>The simulation nodes registered when the update started.</summary>
    public const string NodesTag = "cluster/nodes";

    private readonly DedicatedWorker _worker = new("learner-ppo");
    private readonly LearnerSettings _settings;
    private readonly PpoConfig _config;
    private readonly ILogger _log = Log.ForContext<LearnerEngine>();
    private PpoLearner? _learner;
    private IMetricsSink? _metrics;

    public LearnerEngine(LearnerSettings settings, PpoConfig config)
    {
        _settings = settings.Validate();
        _config = config.Validate();
    }

    /// <summary>Creates the networks and resumes from the latest checkpoint when one exists.</summary>
    public Task<LearnerState> StartAsync()
    {
        return _worker.Run(() =>
        {
            if (_settings.TorchThreads > 0)
            {
                torch.set_num_threads(_settings.TorchThreads);
            }
            _learner = new PpoLearner(_config);
            string? root = _settings.CheckpointDirectory;
            // The newest checkpoint that verifies; damaged ones are named and skipped, crash leftovers removed.
            if (root is not null && !_learner.ResumeFromNewestCheckpoint(root))
            {
                _log.Information("No checkpoint under {Root}; starting from fresh weights", Path.GetFullPath(root));
            }
            // The update's log line is an outlet of the one metrics sink, beside TensorBoard when that is on.
            var outlets = new List<IMetricsSink>
            {
                new LogSink(_log, "Update", [UpdateMetrics.MeanReward, UpdateMetrics.Transitions, UpdateMetrics.UpdateSeconds,
                    UpdateMetrics.TransitionsPerSecond, UpdateMetrics.ApproxKl, UpdateMetrics.PolicyLag, NodesTag]),
            };
            if (_settings.TensorBoardDirectory is { } logs)
            {
                var tensorBoard = new TensorBoardSink(logs);
                outlets.Add(tensorBoard);
                _log.Information("TensorBoard events: {Path}", tensorBoard.LogDirectory);
            }
            _metrics = new MetricsSinks([.. outlets]);
            return State();
        });
    }

    /// <summary>One PPO update, then the new weights (chunked for broadcast) and, every N updates, a checkpoint; <paramref name="nodes"/> simulation nodes fed it.</summary>
    public Task<LearnerUpdate> UpdateAsync(IReadOnlyList<RolloutSegment> batch, int nodes)
    {
        return _worker.Run(() =>
        {
            PpoLearner learner = Started();
            UpdateStats stats = learner.Update(batch);
            _metrics?.Record(UpdateMetrics.Sample(stats, learner.TotalTransitions, new Metric(NodesTag, nodes)));
            string? checkpoint = null;
            if (_settings.CheckpointDirectory is { } root && _settings.CheckpointEvery > 0 && learner.UpdateCount % _settings.CheckpointEvery == 0)
            {
                checkpoint = learner.SaveCheckpoint(root);
            }
            return new LearnerUpdate(stats, State(), checkpoint);
        });
    }

    /// <summary>Writes a checkpoint after any update already queued; null when checkpoints are off or nothing is trained yet.</summary>
    public Task<string?> CheckpointAsync()
    {
        return _worker.Run(() =>
        {
            if (_learner is null || _settings.CheckpointDirectory is not { } root || _learner.UpdateCount == 0)
            {
                return null;
            }
            return _learner.SaveCheckpoint(root);
        });
    }

    /// <summary>Releases the networks on their own thread, then ends it.</summary>
    public void Dispose()
    {
        _ = _worker.Run(() =>
        {
            _metrics?.Dispose();
            _learner?.Dispose();
            return true;
        });
        _worker.Stop(TimeSpan.FromSeconds(30));
    }

    private PpoLearner Started()
    {
        return _learner ?? throw new InvalidOperationException("LearnerEngine.StartAsync has not completed.");
    }

    private LearnerState State()
    {
        PpoLearner learner = Started();
        PolicySnapshot snapshot = learner.ExportPolicy();
        byte[] bytes = MessagePackSerializer.Serialize(snapshot);
        return new LearnerState(learner.PolicyVersion, learner.UpdateCount, learner.TotalTransitions, PolicyWeightsChunker.Split(learner.PolicyVersion, bytes));
    }
}
