using MsMano.Learning.Bench;
using MsMano.Learning.Checkpoints;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests.Trust;

/// <summary>A damaged newest checkpoint, or the leftovers of a kill at any point of a save, never stop the next start.</summary>
[Collection("Torch")]
public sealed class CheckpointRecoveryTests : CheckpointFixture
{
    public static TheoryData<string> Damages => new() { "truncated", "random-bytes", "missing-manifest", "manifest-garbage", "missing-file", "latest-garbage" };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_newest_checkpoint_resumes_from_the_previous_one(string damage)
    {
        string previous;
        string newest;
        using (var learner = new PpoLearner(Config))
        {
            learner.Update(Batch(1));
            previous = learner.SaveCheckpoint(Root);
            learner.Update(Batch(2));
            newest = learner.SaveCheckpoint(Root);
        }
        Damage(newest, damage);

        using var resumed = new PpoLearner(Config);
        Assert.True(resumed.ResumeFromNewestCheckpoint(Root));
        long expected = damage == "latest-garbage" ? 2 : 1; // a garbage LATEST alone leaves the newest directory intact
        Assert.Equal(expected, resumed.UpdateCount);
        Assert.Equal(expected, resumed.PolicyVersion);
        Assert.NotNull(previous);
        // Training goes on from there and the next save is a good one.
        resumed.Update(Batch(3));
        string next = resumed.SaveCheckpoint(Root);
        Assert.Equal(next, CheckpointStore.ResolveCheckpointDirectory(Root));
    }

    [Fact]
    public void A_checkpoint_directory_loaded_explicitly_names_the_damaged_file()
    {
        string saved;
        using (var learner = new PpoLearner(Config))
        {
            learner.Update(Batch(1));
            saved = learner.SaveCheckpoint(Root);
        }
        Damage(saved, "truncated");
        using var other = new PpoLearner(Config);
        CorruptCheckpointException ex = Assert.Throws<CorruptCheckpointException>(() => other.LoadCheckpoint(saved));
        Assert.Contains(CheckpointStore.PolicyFileName, ex.Message);
        Assert.Contains(saved, ex.Message);
    }

    /// <summary>
    /// Every state a kill -9 can leave during the very first save of a run: a half-written temporary, a complete
    /// temporary not yet renamed, a renamed directory with no LATEST yet, a LATEST temporary not yet renamed, and
    /// unflushed files (zero length after a power loss). The next start must come up, fresh where nothing is
    /// complete, and leave no temporaries behind.
    /// </summary>
    [Theory]
    [InlineData("partial-temporary", false)]
    [InlineData("complete-temporary", false)]
    [InlineData("renamed-no-latest", true)]
    [InlineData("latest-temporary", true)]
    [InlineData("zero-length-files", false)]
    public void A_kill_during_the_first_checkpoint_never_stops_the_next_start(string state, bool resumes)
    {
        string complete;
        using (var learner = new PpoLearner(Config))
        {
            learner.Update(Batch(1));
            complete = learner.SaveCheckpoint(Path.Combine(Root, "source"));
        }
        Directory.CreateDirectory(Root);
        string name = Path.GetFileName(complete);
        switch (state)
        {
            case "partial-temporary":
                Copy(complete, Path.Combine(Root, $".tmp-{name}-dead"), only: [CheckpointStore.PolicyFileName]);
                break;
            case "complete-temporary":
                Copy(complete, Path.Combine(Root, $".tmp-{name}-dead"));
                break;
            case "renamed-no-latest":
                Copy(complete, Path.Combine(Root, name));
                break;
            case "latest-temporary":
                Copy(complete, Path.Combine(Root, name));
                File.WriteAllText(Path.Combine(Root, ".tmp-LATEST-dead"), name);
                break;
            case "zero-length-files":
                Copy(complete, Path.Combine(Root, name));
                foreach (string file in Directory.GetFiles(Path.Combine(Root, name)))
                {
                    File.WriteAllBytes(file, []);
                }
                File.WriteAllText(Path.Combine(Root, CheckpointStore.LatestFileName), name);
                break;
        }
        Directory.Delete(Path.Combine(Root, "source"), recursive: true);

        using var restarted = new PpoLearner(Config);
        Assert.Equal(resumes, restarted.ResumeFromNewestCheckpoint(Root));
        Assert.Equal(resumes ? 1 : 0, restarted.UpdateCount);
        Assert.Empty(Directory.GetFileSystemEntries(Root, ".tmp-*"));
        restarted.Update(Batch(2));
        restarted.SaveCheckpoint(Root);
        using var again = new PpoLearner(Config);
        Assert.True(again.ResumeFromNewestCheckpoint(Root));
        Assert.Equal(restarted.UpdateCount, again.UpdateCount);
    }

    [Fact]
    public void The_manifest_carries_a_checksum_of_every_file()
    {
        using var learner = new PpoLearner(Config);
        learner.Update(Batch(1));
        string saved = learner.SaveCheckpoint(Root);
        CheckpointManifest manifest = CheckpointStore.Verify(saved);
        Assert.Equal(CheckpointManifest.CurrentFormat, manifest.FormatVersion);
        Assert.NotNull(manifest.Files);
        foreach ((string file, CheckpointFile entry) in manifest.Files!)
        {
            Assert.Equal(DurableFiles.Sha256(Path.Combine(saved, file)), entry.Sha256);
            Assert.Equal(new FileInfo(Path.Combine(saved, file)).Length, entry.Length);
        }
        Assert.Equal(5, manifest.Files.Count);
    }

    private void Damage(string directory, string damage)
    {
        string policy = Path.Combine(directory, CheckpointStore.PolicyFileName);
        switch (damage)
        {
            case "truncated":
                using (var stream = new FileStream(policy, FileMode.Open))
                {
                    stream.SetLength(stream.Length / 2);
                }
                break;
            case "random-bytes":
                byte[] bytes = File.ReadAllBytes(policy);
                new Random(5).NextBytes(bytes.AsSpan(bytes.Length / 3, 64));
                File.WriteAllBytes(policy, bytes);
                break;
            case "missing-manifest":
                File.Delete(Path.Combine(directory, CheckpointStore.ManifestFileName));
                break;
            case "manifest-garbage":
                File.WriteAllText(Path.Combine(directory, CheckpointStore.ManifestFileName), "{ \"FormatVersion\": 2, trunc");
                break;
            case "missing-file":
                File.Delete(Path.Combine(directory, CheckpointStore.OptimizerFileName));
                break;
            case "latest-garbage":
                File.WriteAllText(Path.Combine(Root, CheckpointStore.LatestFileName), "../../etc");
                break;
        }
    }

    private static void Copy(string from, string to, string[]? only = null)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            if (only is null || only.Contains(Path.GetFileName(file)))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }
    }
}
