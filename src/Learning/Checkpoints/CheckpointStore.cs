using System.Text.Json;
using MsMano.Learning.Networks;
using MsMano.Learning.Ppo;
using Serilog;

namespace MsMano.Learning.Checkpoints;

/// <summary>
/// Checkpoints under a root directory: each one is a directory <c>ckpt-&lt;update&gt;</c> holding
/// <c>manifest.json</c>, <c>policy.bin</c>, <c>value.bin</c>, <c>optimizer.bin</c> (TorchSharp's Adam state dict:
/// step counts and both moments), <c>normalizer.bin</c> and <c>policy.snapshot</c> (the exported inference model).
/// A checkpoint is written into a temporary directory and renamed into place, then the <c>LATEST</c> pointer file
/// is replaced by rename, so a crash at any moment leaves the previous checkpoint intact and current.
/// </summary>
public static class CheckpointStore
{
    public const string LatestFileName = "LATEST";
    public const string ManifestFileName = "manifest.json";
    public const string PolicyFileName = "policy.bin";
    public const string ValueFileName = "value.bin";
    public const string OptimizerFileName = "optimizer.bin";
    public const string NormalizerFileName = "normalizer.bin";
    public const string SnapshotFileName = "policy.snapshot";

    /// <summary>How many completed checkpoints to keep under the root.</summary>
    public const int Keep = 3;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Writes a checkpoint of <paramref name="learner"/> under <paramref name="root"/>; returns its directory.</summary>
    public static string Save(PpoLearner learner, string root)
    {
        var rootPath = Path.GetFullPath(root);
        Directory.CreateDirectory(rootPath);
        var name = $"ckpt-{learner.UpdateCount:D10}";
        var final = Path.Combine(rootPath, name);
        var temporary = Path.Combine(rootPath, $".tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            learner.Policy.save(Path.Combine(temporary, PolicyFileName));
            learner.Value.save(Path.Combine(temporary, ValueFileName));
            learner.Optimizer.save_state_dict(Path.Combine(temporary, OptimizerFileName));
            using (var stream = File.Create(Path.Combine(temporary, NormalizerFileName)))
            using (var writer = new BinaryWriter(stream))
            {
                learner.Normalizer.Write(writer);
            }
            learner.ExportPolicy().Save(Path.Combine(temporary, SnapshotFileName));
            var manifest = new CheckpointManifest(
                CheckpointManifest.CurrentFormat, learner.PolicyVersion, learner.UpdateCount, learner.TotalTransitions,
                learner.LearningRate, learner.Config.ObservationSize, learner.Config.ActionSize,
                learner.Config.Hidden.ToArray(), DateTimeOffset.UtcNow);
            File.WriteAllText(Path.Combine(temporary, ManifestFileName), JsonSerializer.Serialize(manifest, JsonOptions));

            if (Directory.Exists(final))
            {
                // Same update saved twice (e.g. a retry): the new copy replaces the old one.
                Directory.Delete(final, recursive: true);
            }
            Directory.Move(temporary, final);
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
            throw;
        }

        var latestTemporary = Path.Combine(rootPath, $".tmp-{LatestFileName}-{Guid.NewGuid():N}");
        File.WriteAllText(latestTemporary, name);
        File.Move(latestTemporary, Path.Combine(rootPath, LatestFileName), overwrite: true);
        Prune(rootPath, name);
        Log.ForContext(typeof(CheckpointStore)).Information("Checkpoint {Name} written to {Root}", name, rootPath);
        return final;
    }

    /// <summary>
    /// Restores <paramref name="learner"/> from <paramref name="path"/>: a root with a <c>LATEST</c> pointer, or one
    /// checkpoint directory. Throws when the checkpoint's network shape differs from the learner's.
    /// </summary>
    public static void Load(PpoLearner learner, string path)
    {
        var directory = ResolveCheckpointDirectory(path);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(manifestPath), JsonOptions)
            ?? throw new InvalidDataException($"Checkpoint manifest {manifestPath} is empty.");
        if (manifest.FormatVersion != CheckpointManifest.CurrentFormat)
        {
            throw new InvalidDataException($"Checkpoint {directory} has format {manifest.FormatVersion}; this build reads {CheckpointManifest.CurrentFormat}.");
        }
        var config = learner.Config;
        if (manifest.ObservationSize != config.ObservationSize || manifest.ActionSize != config.ActionSize
            || !manifest.Hidden.SequenceEqual(config.Hidden))
        {
            throw new InvalidDataException(
                $"Checkpoint {directory} holds a {manifest.ObservationSize}→[{string.Join(",", manifest.Hidden)}]→{manifest.ActionSize} network; " +
                $"the learner is {config.ObservationSize}→[{string.Join(",", config.Hidden)}]→{config.ActionSize}.");
        }
        learner.Policy.load(Path.Combine(directory, PolicyFileName));
        learner.Value.load(Path.Combine(directory, ValueFileName));
        learner.Optimizer.load_state_dict(Path.Combine(directory, OptimizerFileName));
        RunningNormalizer normalizer;
        using (var stream = File.OpenRead(Path.Combine(directory, NormalizerFileName)))
        using (var reader = new BinaryReader(stream))
        {
            normalizer = RunningNormalizer.Read(reader);
        }
        learner.RestoreState(normalizer, manifest.LearningRate, manifest.PolicyVersion, manifest.UpdateCount, manifest.TotalTransitions);
        Log.ForContext(typeof(CheckpointStore)).Information(
            "Resumed from {Directory}: policy version {Version}, {Updates} updates", directory, manifest.PolicyVersion, manifest.UpdateCount);
    }

    /// <summary>The checkpoint directory <paramref name="path"/> points at, through <c>LATEST</c> when it is a root.</summary>
    public static string ResolveCheckpointDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(full, ManifestFileName)))
        {
            return full;
        }
        var latest = Path.Combine(full, LatestFileName);
        if (!File.Exists(latest))
        {
            throw new FileNotFoundException($"No checkpoint at '{full}': neither {ManifestFileName} nor {LatestFileName} exists.", latest);
        }
        var name = File.ReadAllText(latest).Trim();
        var directory = Path.Combine(full, name);
        if (name.Length == 0 || name.Contains(Path.DirectorySeparatorChar) || !Directory.Exists(directory))
        {
            throw new InvalidDataException($"{latest} names '{name}', which is not a checkpoint directory under {full}.");
        }
        return directory;
    }

    private static void Prune(string root, string current)
    {
        var old = Directory.GetDirectories(root, "ckpt-*")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n != current)
            .OrderByDescending(n => n, StringComparer.Ordinal)
            .Skip(Keep - 1);
        foreach (var name in old)
        {
            Directory.Delete(Path.Combine(root, name), recursive: true);
        }
    }
}
