using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Environments.Motion.Generator;
using MsMano.Learning.Training;

namespace MsMano.Learning.Tests.Training;

[Collection("Torch")]
public sealed class IdNetTrainerTests : IDisposable
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly HandPlant Plant = new(Model);
    private static readonly IReadOnlyList<ReferenceMotion> Motions =
        new HandMotionGenerator(Model).Generate(16, seed: 11).Select(g => g.Motion).ToArray();

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"msmano-train-{Guid.NewGuid():N}");

    private TrainingOptions Small(int updates) => new()
    {
        Sources = 2,
        AgentsPerSource = 32,
        BatchSize = 2048,
        MaxUpdates = updates,
        OutputDirectory = _directory,
        CheckpointEvery = 1000,
    };

    private static PpoTrainingConfig Ppo => new(IdNetTrainingDefaults.Ppo with { MinibatchSize = 512, Seed = 3 });

    private sealed record PpoTrainingConfig(MsMano.Learning.Ppo.PpoConfig Config);

    [Fact]
    public void The_idnet_reward_rises_on_a_short_training_run()
    {
        using var trainer = new IdNetTrainer(Plant, Motions, Small(12), new IdNetEnvironmentOptions(), Ppo.Config);
        for (int u = 0; u < 12; u++)
        {
            trainer.Step();
        }
        IReadOnlyList<TrainingRecord> h = trainer.History;
        double first = h.Take(3).Average(r => r.MeanReward);
        double last = h.Skip(9).Average(r => r.MeanReward);
        double gapFirst = h.Take(3).Average(r => r.MeanTorqueGap);
        double gapLast = h.Skip(9).Average(r => r.MeanTorqueGap);
        Assert.True(last > first * 1.2, $"reward {first:F4} -> {last:F4}");
        Assert.True(gapLast < gapFirst, $"torque gap {gapFirst:F3} -> {gapLast:F3} N m");
    }

    [Fact]
    public void A_run_resumes_from_its_checkpoint_with_counters_history_and_policy()
    {
        using (var trainer = new IdNetTrainer(Plant, Motions, Small(2), new IdNetEnvironmentOptions(), Ppo.Config))
        {
            trainer.Step();
            trainer.Step();
            trainer.Checkpoint();
            Assert.True(File.Exists(trainer.PolicyPath));
        }
        var saved = PolicySnapshot.Load(Path.Combine(_directory, "idnet-policy.msgpack"));
        using var resumed = new IdNetTrainer(Plant, Motions, Small(1), new IdNetEnvironmentOptions(), Ppo.Config);
        Assert.True(resumed.Resumed);
        Assert.Equal(2, resumed.Learner.UpdateCount);
        Assert.Equal(saved.Version, resumed.Learner.PolicyVersion);
        Assert.Equal(2, resumed.History.Count);
        TrainingRecord next = resumed.Step();
        Assert.Equal(3, next.Update);
        Assert.Equal(3, File.ReadLines(resumed.HistoryPath).Count() - 1);
    }

    [Fact]
    public void Options_that_cannot_run_are_refused_by_name()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new TrainingOptions { BatchSize = 10, MaxUpdates = 1 }.Validate());
        Assert.Contains("BatchSize", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TrainingOptions().Validate());
        Assert.Contains("never ends", ex.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
