namespace MsMano.Learning.Training;

/// <summary>How the one-process IDNet training run is laid out and when it stops.</summary>
public sealed record TrainingOptions
{
    /// <summary>Simulation batches stepped in parallel (one per core by default).</summary>
    public int Sources { get; init; } = Math.Max(1, System.Environment.ProcessorCount);

    /// <summary>Agents per simulation batch (the design's 64).</summary>
    public int AgentsPerSource { get; init; } = 64;

    /// <summary>Transitions per PPO update (the paper's 16,384); the steps per agent follow from it.</summary>
    public int BatchSize { get; init; } = 16_384;

    /// <summary>Wall-clock budget; the run stops after the update that crosses it.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Update budget; the run stops after this many updates (whichever budget comes first).</summary>
    public int? MaxUpdates { get; init; }

    /// <summary>Where checkpoints, TensorBoard events, the exported policy and plots go.</summary>
    public string OutputDirectory { get; init; } = "runs/idnet";

    /// <summary>Checkpoint every this many updates (and always at the end).</summary>
    public int CheckpointEvery { get; init; } = 20;

    /// <summary>Resume from the latest checkpoint in the output directory when one exists.</summary>
    public bool Resume { get; init; } = true;

    public ulong Seed { get; init; } = 1;

    public int StepsPerCollect => Math.Max(1, BatchSize / (Sources * AgentsPerSource));

    public TrainingOptions Validate()
    {
        Require(Sources >= 1, nameof(Sources), Sources, "must be >= 1");
        Require(AgentsPerSource >= 1, nameof(AgentsPerSource), AgentsPerSource, "must be >= 1");
        Require(BatchSize >= Sources * AgentsPerSource, nameof(BatchSize), BatchSize, $"must hold at least one step of every agent ({Sources * AgentsPerSource})");
        Require(Duration is null || Duration > TimeSpan.Zero, nameof(Duration), Duration!, "must be positive");
        Require(MaxUpdates is null || MaxUpdates >= 1, nameof(MaxUpdates), MaxUpdates!, "must be >= 1");
        Require(Duration is not null || MaxUpdates is not null, nameof(Duration), "none", "or MaxUpdates must be set, or the run never ends");
        Require(CheckpointEvery >= 1, nameof(CheckpointEvery), CheckpointEvery, "must be >= 1");
        Require(!string.IsNullOrWhiteSpace(OutputDirectory), nameof(OutputDirectory), OutputDirectory, "must be a directory path");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"training option {name} = {value} {rule}.", name);
        }
    }
}
