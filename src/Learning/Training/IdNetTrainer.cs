using System.Diagnostics;
using System.Globalization;
using MsMano.Biomechanics.Dynamics;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Environments.Rollouts;
using MsMano.Learning.Metrics;
using MsMano.Learning.Ppo;
using Serilog;

namespace MsMano.Learning.Training;

/// <summary>
/// IDNet training in one process, no cluster: K simulation batches collect in parallel (one per core), then one
/// synchronous PPO update, then every batch gets the new weights. Exactly on-policy; the cluster distributes the
/// same pieces (IdNetRolloutSource, PpoLearner).
/// </summary>
public sealed class IdNetTrainer : IDisposable
{
    private readonly IdNetRolloutSource[] _sources;
    private readonly RolloutBuffer[] _buffers;
    private readonly MetricsSinks _metrics;
    private readonly Stopwatch _clock = new();
    private readonly List<TrainingRecord> _history = [];
    private readonly double _elapsedBefore;

    /// <param name="plantForSource">The hand batch k simulates (a shape spread); null = <paramref name="plant"/> for every batch.</param>
    public IdNetTrainer(HandPlant plant, IReadOnlyList<ReferenceMotion> motions, TrainingOptions options, IdNetEnvironmentOptions environment, PpoConfig ppo,
        Func<int, HandPlant>? plantForSource = null)
    {
        Options = options.Validate();
        Directory.CreateDirectory(options.OutputDirectory);
        Learner = new PpoLearner(ppo with { ObservationSize = environment.ObservationSize, ActionSize = IdNetEnvironmentOptions.ActionSize });
        CheckpointDirectory = Path.Combine(options.OutputDirectory, "checkpoints");
        if (options.Resume && Learner.ResumeFromNewestCheckpoint(CheckpointDirectory))
        {
            Resumed = true;
            ReadHistory(HistoryPath, _history);
            Log.Information("Resumed from {Directory}: update {Update}, policy version {Version}, {Transitions:N0} transitions",
                CheckpointDirectory, Learner.UpdateCount, Learner.PolicyVersion, Learner.TotalTransitions);
        }
        PolicySnapshot policy = Learner.ExportPolicy();
        _sources = new IdNetRolloutSource[options.Sources];
        _buffers = new RolloutBuffer[options.Sources];
        for (int k = 0; k < options.Sources; k++)
        {
            _sources[k] = new IdNetRolloutSource(plantForSource?.Invoke(k) ?? plant, motions, options.AgentsPerSource, environment, options.Seed * 1000 + (ulong)k + (ulong)Learner.UpdateCount * 7919, policy);
            _buffers[k] = new RolloutBuffer(options.StepsPerCollect, options.AgentsPerSource, environment.ObservationSize, IdNetEnvironmentOptions.ActionSize);
        }
        // Rows written after the last checkpoint belong to updates the resumed learner never saw: drop them.
        _history.RemoveAll(r => r.Update > Learner.UpdateCount);
        _elapsedBefore = _history.Count > 0 ? _history[^1].ElapsedSeconds : 0;
        _metrics = new MetricsSinks(
            new TensorBoardSink(Path.Combine(options.OutputDirectory, "tensorboard")),
            new HistoryCsvSink(HistoryPath, _history),
            new LogSink(Log.Logger, "Update",
                [UpdateMetrics.MeanReward, TrainingRecord.TorqueGapTag, TrainingRecord.CollectTag, UpdateMetrics.UpdateSeconds, UpdateMetrics.ApproxKl, UpdateMetrics.LearningRate],
                every: 10));
    }

    public TrainingOptions Options { get; }
    public PpoLearner Learner { get; }
    public string CheckpointDirectory { get; }
    public bool Resumed { get; }
    public IReadOnlyList<TrainingRecord> History => _history;
    public string HistoryPath => Path.Combine(Options.OutputDirectory, "history.csv");
    public IReadOnlyList<IdNetRolloutSource> Sources => _sources;

    /// <summary>Seconds of training so far, including runs this one resumed.</summary>
    public double ElapsedSeconds => _elapsedBefore + _clock.Elapsed.TotalSeconds;

    /// <summary>True once the duration or update budget is spent.</summary>
    public bool Done(long updatesThisRun) =>
        (Options.MaxUpdates is int max && updatesThisRun >= max) ||
        (Options.Duration is TimeSpan d && _clock.Elapsed >= d);

    /// <summary>Collect one batch on every source in parallel, update, publish the new weights.</summary>
    public TrainingRecord Step()
    {
        _clock.Start();
        var collect = Stopwatch.StartNew();
        Parallel.For(0, _sources.Length, new ParallelOptions { MaxDegreeOfParallelism = _sources.Length }, k => _sources[k].Collect(_buffers[k]));
        collect.Stop();

        double gap = 0;
        var segments = new RolloutSegment[_buffers.Length];
        for (int k = 0; k < _buffers.Length; k++)
        {
            segments[k] = ToSegment(_buffers[k]);
            foreach (float g in _sources[k].Environment.TorqueGaps)
            {
                gap += g;
            }
        }
        gap /= _sources.Length * Options.AgentsPerSource;

        UpdateStats stats = Learner.Update(segments);
        PolicySnapshot policy = Learner.ExportPolicy();
        foreach (IdNetRolloutSource source in _sources)
        {
            source.LoadPolicy(policy);
        }
        MetricsSample sample = UpdateMetrics.Sample(stats, Learner.TotalTransitions,
            new(TrainingRecord.ElapsedTag, ElapsedSeconds),
            new(TrainingRecord.TorqueGapTag, gap),
            new(TrainingRecord.CollectTag, collect.Elapsed.TotalSeconds),
            new("perf/agent_steps_per_second", stats.Transitions / (collect.Elapsed.TotalSeconds + stats.Seconds)));
        var record = TrainingRecord.From(sample);
        _history.Add(record);
        _metrics.Record(sample);
        if (stats.UpdateIndex % Options.CheckpointEvery == 0)
        {
            Checkpoint();
        }
        _clock.Stop();
        return record;
    }

    /// <summary>Saves a resumable checkpoint and the inference-only policy (idnet-policy.msgpack).</summary>
    public string Checkpoint()
    {
        string path = Learner.SaveCheckpoint(CheckpointDirectory);
        Learner.ExportPolicy().Save(PolicyPath);
        _metrics.Flush();
        return path;
    }

    public string PolicyPath => Path.Combine(Options.OutputDirectory, "idnet-policy.msgpack");

    public void Dispose()
    {
        _metrics.Dispose();
        Learner.Dispose();
        foreach (IdNetRolloutSource s in _sources)
        {
            s.Dispose();
        }
    }

    /// <summary>A rollout buffer as the learner's segment; clip ends are terminal (the authors' episodes end there).</summary>
    public static RolloutSegment ToSegment(RolloutBuffer buffer)
    {
        (bool[] terminated, bool[] truncated) = RolloutSegment.SplitFlags(buffer.Flags);
        return new RolloutSegment
        {
            Steps = buffer.Steps,
            Agents = buffer.Agents,
            PolicyVersion = buffer.PolicyVersion,
            Observations = buffer.Observations,
            Actions = buffer.Actions,
            LogProbs = buffer.LogProbs,
            Rewards = buffer.Rewards,
            Terminated = terminated,
            Truncated = truncated,
            NextObservations = buffer.NextObservations,
        };
    }

    // Reloads the rows a resumed run already wrote, so the curve covers the whole training.
    private static void ReadHistory(string path, List<TrainingRecord> history)
    {
        if (!File.Exists(path))
        {
            return;
        }
        CultureInfo inv = System.Globalization.CultureInfo.InvariantCulture;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] f = line.Split(',');
            if (f.Length != 13)
            {
                continue;
            }
            double D(int i) => double.Parse(f[i], inv);
            history.Add(new TrainingRecord(long.Parse(f[0], inv), long.Parse(f[1], inv), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9), D(10), D(11), D(12)));
        }
    }
}
