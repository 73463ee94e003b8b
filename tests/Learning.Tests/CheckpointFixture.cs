using MsMano.Learning.Bench;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

/// <summary>What the checkpoint tests share: a small learner configuration, synthetic batches, and a checkpoint root removed afterwards.</summary>
public abstract class CheckpointFixture : IDisposable
{
    protected static readonly PpoConfig Config = new()
    {
        ObservationSize = 6,
        ActionSize = 3,
        Hidden = [16, 16],
        MinibatchSize = 32,
        Seed = 9,
        Device = "cpu",
    };

    /// <summary>A fresh folder per test (not created until a save needs it).</summary>
    protected string Root { get; } = Path.Combine(Path.GetTempPath(), "msmano-ckpt-" + Guid.NewGuid().ToString("N"));

    /// <summary>3 segments x 8 agents x 4 steps (96 transitions), reproducible per <paramref name="seed"/>.</summary>
    protected static IReadOnlyList<RolloutSegment> Batch(int seed) => PpoBenchmark.SyntheticBatch(Config, segments: 3, agents: 8, steps: 4, seed);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
