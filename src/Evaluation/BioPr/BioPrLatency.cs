using System.Diagnostics;
using MsMano.Biomechanics.Dynamics;
using MsMano.Contracts.Policy;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.BioPr;

/// <summary>
/// One latency configuration: <see cref="MillisecondsPerFrame"/> is the wall time of one lockstep frame (every sequence
/// of the row advancing one frame; for one sequence, its per-frame latency), <see cref="FramesPerSecond"/> counts
/// sequence-frames.
/// </summary>
public sealed record BioPrLatencyRow(string Name, int Sequences, int FramesPerSequence, double MillisecondsPerFrame, double FramesPerSecond);

/// <summary>BioPR inference cost against the paper's 9 ms per frame; medians over interleaved timed rounds after warm-up.</summary>
public sealed record BioPrLatencyResult(FrameTiming Timing, int Rounds, IReadOnlyList<BioPrLatencyRow> Rows)
{
    public const double PaperMillisecondsPerFrame = 9.0;
}

/// <summary>
/// Measures the whole BioPR pass per frame (limit clamp, input interpolation over <c>inputWindow</c>, finite differences, IDNet, the muscle-driven simulation of one
/// frame interval, pose conversion, RefineNet), setup of the run included: one sequence alone (latency, what a live
/// tracker waits per frame) and a batch of sequences in lockstep (throughput, frames/s).
/// </summary>
public static class BioPrLatency
{
    public static BioPrLatencyResult Measure(
        HandPlant plant, PoseAngles poses, PolicySnapshot policy, IPoseRefiner refiner,
        int frames = 120, int batch = 64, int rounds = 5, double fps = 30, int inputWindow = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        PoseSequence[] sequences = Enumerable.Range(0, batch).Select(i =>
        {
            PoseSequence truth = SyntheticMotion.Generate($"latency-{i}", frames, fps, seed: 500 + i);
            return new BaseEstimatorErrorModel(new SyntheticErrorOptions { Seed = 900 + i }).Apply(truth);
        }).ToArray();
        BioPrOptions options = new BioPrOptions { BatchSize = batch, InputWindow = inputWindow }.Validate();
        PoseSequence[] single = sequences.AsSpan(0, 1).ToArray();
        var configurations = new List<(string Name, int Sequences, Func<IReadOnlyList<BioPrOutput>> Run)>();
        foreach (bool feedback in new[] { false, true })
        {
            var runner = new BioPrRunner(plant, poses, policy, options with { Feedback = feedback });
            string label = feedback ? "with feedback" : "no feedback";
            configurations.Add(($"1 sequence, {label}", 1, () => runner.Run(single, refiner)));
            configurations.Add(($"{batch} sequences, {label}", batch, () => runner.Run(sequences, refiner)));
        }

        // Warm-up until tiered compilation has settled, then rounds interleave the configurations so that a change in
        // machine load hits all of them alike.
        for (int w = 0; w < 3; w++)
        {
            configurations.ForEach(c => c.Run());
        }

        double[][] seconds = configurations.Select(_ => new double[rounds]).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int c = 0; c < configurations.Count; c++)
            {
                var clock = Stopwatch.StartNew();
                configurations[c].Run();
                seconds[c][r] = clock.Elapsed.TotalSeconds;
            }
        }

        var rows = configurations.Select((c, i) =>
        {
            double median = Median(seconds[i]);
            return new BioPrLatencyRow(c.Name, c.Sequences, frames, median * 1000 / frames, c.Sequences * frames / median);
        }).ToList();
        return new BioPrLatencyResult(FrameTiming.For(fps, options), rounds, rows);
    }

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
