using MsMano.Contracts.Policy;
using MsMano.Learning.Bench;
using MsMano.Learning.Checkpoints;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

[Collection("Torch")]
public sealed class CheckpointTests : CheckpointFixture
{
    [Fact]
    public void Resuming_from_a_checkpoint_continues_exactly_like_an_uninterrupted_run()
    {
        using var uninterrupted = new PpoLearner(Config);
        uninterrupted.Update(Batch(1));
        uninterrupted.Update(Batch(2));
        UpdateStats expected = uninterrupted.Update(Batch(3));
        PolicySnapshot expectedPolicy = uninterrupted.ExportPolicy();

        string saved;
        using (var first = new PpoLearner(Config))
        {
            first.Update(Batch(1));
            first.Update(Batch(2));
            saved = first.SaveCheckpoint(Root);
        }
        // A half-written later checkpoint (a crash before its rename) must be ignored.
        DirectoryInfo stray = Directory.CreateDirectory(Path.Combine(Root, ".tmp-ckpt-0000000099-crashed"));
        File.WriteAllText(Path.Combine(stray.FullName, CheckpointStore.ManifestFileName), "{ truncated");

        using var resumed = new PpoLearner(Config);
        PolicySnapshot fresh = resumed.ExportPolicy();
        resumed.LoadCheckpoint(Root);
        Assert.Equal(2, resumed.PolicyVersion);
        Assert.Equal(2, resumed.UpdateCount);
        Assert.Equal(2 * 96, resumed.TotalTransitions);
        Assert.NotEqual(fresh.Get(PolicySnapshot.WeightName(0)).Data, resumed.ExportPolicy().Get(PolicySnapshot.WeightName(0)).Data);

        UpdateStats actual = resumed.Update(Batch(3));
        Assert.Equal(expected.PolicyVersion, actual.PolicyVersion);
        Assert.Equal(expected.PolicyLoss, actual.PolicyLoss, 6);
        Assert.Equal(expected.ValueLoss, actual.ValueLoss, 6);
        Assert.Equal(expected.ApproxKl, actual.ApproxKl, 8);
        Assert.Equal(expected.GradNorm, actual.GradNorm, 6);
        Assert.Equal(expected.LearningRate, actual.LearningRate, 12);
        PolicySnapshot actualPolicy = resumed.ExportPolicy();
        foreach (TensorBlob tensor in expectedPolicy.Tensors)
        {
            ReadOnlySpan<float> a = tensor.AsFloats();
            ReadOnlySpan<float> b = actualPolicy.Get(tensor.Name).AsFloats();
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-6f * (1 + Math.Abs(a[i])), $"{tensor.Name}[{i}]: {a[i]} vs {b[i]}");
            }
        }
        Assert.True(File.Exists(Path.Combine(saved, CheckpointStore.SnapshotFileName)));
    }

    [Fact]
    public void Checkpoints_are_pointed_to_by_latest_pruned_and_leave_no_temporaries()
    {
        using var learner = new PpoLearner(Config);
        string last = "";
        for (int i = 0; i < 5; i++)
        {
            learner.Update(Batch(10 + i));
            last = learner.SaveCheckpoint(Root);
        }
        Assert.Equal(last, CheckpointStore.ResolveCheckpointDirectory(Root));
        Assert.Equal(Path.GetFileName(last), File.ReadAllText(Path.Combine(Root, CheckpointStore.LatestFileName)));
        Assert.Equal(CheckpointStore.Keep, Directory.GetDirectories(Root, "ckpt-*").Length);
        Assert.Empty(Directory.GetFileSystemEntries(Root, ".tmp-*"));
        foreach (string name in new[] { CheckpointStore.ManifestFileName, CheckpointStore.PolicyFileName, CheckpointStore.ValueFileName,
                     CheckpointStore.OptimizerFileName, CheckpointStore.NormalizerFileName, CheckpointStore.SnapshotFileName })
        {
            Assert.True(File.Exists(Path.Combine(last, name)), name);
        }
    }

    [Fact]
    public void A_checkpoint_of_a_different_network_is_refused()
    {
        using (var learner = new PpoLearner(Config))
        {
            learner.SaveCheckpoint(Root);
        }
        using var other = new PpoLearner(Config with { Hidden = [8, 8] });
        InvalidDataException ex = Assert.Throws<InvalidDataException>(() => other.LoadCheckpoint(Root));
        Assert.Contains("[16,16]", ex.Message);
    }

    [Fact]
    public void Loading_from_an_empty_directory_says_what_is_missing()
    {
        Directory.CreateDirectory(Root);
        using var learner = new PpoLearner(Config);
        FileNotFoundException ex = Assert.Throws<FileNotFoundException>(() => learner.LoadCheckpoint(Root));
        Assert.Contains(CheckpointStore.LatestFileName, ex.Message);
    }
}
