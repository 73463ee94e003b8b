using System.Diagnostics;
using MsMano.Learning.Checkpoints;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Bench;

/// <summary>Median wall time of one checkpoint write, with and without its fsyncs, interleaved on the same learner.</summary>
public sealed record CheckpointBenchmarkResult(int Rounds, long Bytes, double DurableMedianMs, double UnsyncedMedianMs)
{
    /// <summary>How much longer a durable write takes than one without fsyncs.</summary>
    public double Ratio => UnsyncedMedianMs > 0 ? DurableMedianMs / UnsyncedMedianMs : double.NaN;
}

/// <summary>What a checkpoint's fsyncs cost, measured against unsynced writes.</summary>
public static class CheckpointBenchmark
{
    /// <summary>
    /// Writes <paramref name="rounds"/> checkpoints of each kind into <paramref name="directory"/> (alternating, so a
    /// noisy machine hits both alike), the learner of <paramref name="config"/> (IDNet's sizes by default).
    /// </summary>
    public static CheckpointBenchmarkResult Run(PpoConfig config, string directory, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        using var learner = new PpoLearner(config);
        var durable = new List<double>();
        var unsynced = new List<double>();
        string last = "";
        // One unmeasured write of each kind first: the first save pays for torch's lazy serialisation setup.
        CheckpointStore.Save(learner, Path.Combine(directory, "warmup"), durable: true);
        CheckpointStore.Save(learner, Path.Combine(directory, "warmup"), durable: false);
        for (int round = 0; round < rounds; round++)
        {
            foreach (bool sync in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                string root = Path.Combine(directory, sync ? "durable" : "unsynced");
                var clock = Stopwatch.StartNew();
                last = CheckpointStore.Save(learner, root, sync);
                (sync ? durable : unsynced).Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        long bytes = Directory.GetFiles(last).Sum(f => new FileInfo(f).Length);
        return new CheckpointBenchmarkResult(rounds, bytes, Median(durable), Median(unsynced));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
