using MsMano.Learning.Bench;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

[Collection("Torch")]
public sealed class PpoBenchmarkTests
{
    [Fact]
    public void Benchmark_runs_full_updates_and_reports_a_consistent_record()
    {
        var config = new PpoConfig { ObservationSize = 8, ActionSize = 3, Hidden = [16, 16], MinibatchSize = 64, Device = "cpu" };
        PpoBenchmarkResult result = PpoBenchmark.Run(runs: 3, segments: 4, agents: 16, steps: 2, config, torchThreads: 1);
        Assert.Equal(128, result.Transitions);
        Assert.Equal(3, result.Runs);
        Assert.Equal("CPU", result.Device);
        Assert.Equal(1, result.TorchThreads);
        Assert.True(result.MinSeconds > 0 && result.MinSeconds <= result.MedianSeconds && result.MedianSeconds <= result.MaxSeconds);
    }

    [Fact]
    public void Synthetic_batch_is_valid_input()
    {
        var config = new PpoConfig();
        IReadOnlyList<RolloutSegment> batch = PpoBenchmark.SyntheticBatch(config, segments: 2, agents: 4, steps: 3, seed: 1);
        Assert.Equal(2, batch.Count);
        foreach (RolloutSegment segment in batch)
        {
            segment.Validate(config.ObservationSize, config.ActionSize);
        }
    }
}
