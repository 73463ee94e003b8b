using System.Text.Json;
using MsMano.Learning.Networks;
using MsMano.Learning.Ppo;
using Serilog;

namespace MsMano.Learning.Checkpoints;

/// <summary>
/// Checkpoints under a root directory: each one is a directory <c>ckpt-&lt;update&gt;</c> holding
/// <c>manifest.json</c>, <c>policy.bin</c>, <c>value.bin</c>, <c>optimizer.bin</c> (TorchSharp's Adam state dict:
/// step counts and both moments), <c>normalizer.bin</c> and <c>policy.snapshot</c> (the exported inference model).
/// A checkpoint is written into a temporary directory, every file is flushed to disk and its SHA-256 goes into the
/// manifest, then the directory is renamed into place and the <c>LATEST</c> pointer is replaced by rename (each
/// rename flushed too). A start loads the newest checkpoint that verifies, naming and skipping damaged ones, and
/// removes temporaries left by a crash, so a kill at any moment never stops the next start.
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
    public const string TemporaryPrefix = ".tmp-";

    /// <summary>How many completed checkpoints to keep under the root.</summary>
    public const int Keep = 3;

    private static readonly string[] DataFiles = [PolicyFileName, ValueFileName, OptimizerFileName, NormalizerFileName, SnapshotFileName];

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static ILogger Logger => Log.ForContext(typeof(CheckpointStore));

    /// <summary>Writes a checkpoint of <paramref name="learner"/> under <paramref name="root"/>; returns its directory.</summary>
    /// <param name="durable">False skips the fsyncs: only for measuring what they cost (<c>bench --checkpoint</c>).</param>
    public static string Save(PpoLearner learner, string root, bool durable = true)
    {
        string rootPath = Path.GetFullPath(root);
        Directory.CreateDirectory(rootPath);
        string name = $"ckpt-{learner.UpdateCount:D10}";
        string final = Path.Combine(rootPath, name);
        string temporary = Path.Combine(rootPath, $"{TemporaryPrefix}{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            learner.Policy.save(Path.Combine(temporary, PolicyFileName));
            learner.Value.save(Path.Combine(temporary, ValueFileName));
            learner.Optimizer.save_state_dict(Path.Combine(temporary, OptimizerFileName));
            using (FileStream stream = File.Create(Path.Combine(temporary, NormalizerFileName)))
            using (var writer = new BinaryWriter(stream))
            {
                learner.Normalizer.Write(writer);
            }
            learner.ExportPolicy().Save(Path.Combine(temporary, SnapshotFileName));
            var files = new Dictionary<string, CheckpointFile>(StringComparer.Ordinal);
            foreach (string file in DataFiles)
            {
                string path = Path.Combine(temporary, file);
                if (durable)
                {
                    DurableFiles.FlushFile(path);
                }
                files[file] = new CheckpointFile(new FileInfo(path).Length, DurableFiles.Sha256(path));
            }
            var manifest = new CheckpointManifest(
                CheckpointManifest.CurrentFormat, learner.PolicyVersion, learner.UpdateCount, learner.TotalTransitions,
                learner.LearningRate, learner.Config.ObservationSize, learner.Config.ActionSize,
                learner.Config.Hidden.ToArray(), DateTimeOffset.UtcNow)
            { Files = files };
            string manifestPath = Path.Combine(temporary, ManifestFileName);
            File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, JsonOptions));
            if (durable)
            {
                DurableFiles.FlushFile(manifestPath);
                DurableFiles.FlushDirectory(temporary);
            }

            if (Directory.Exists(final))
            {
                // Same update saved twice (e.g. a retry): the new copy replaces the old one.
                Directory.Delete(final, recursive: true);
            }
            Directory.Move(temporary, final);
            if (durable)
            {
                DurableFiles.FlushDirectory(rootPath);
            }
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
            throw;
        }

        string latestTemporary = Path.Combine(rootPath, $"{TemporaryPrefix}{LatestFileName}-{Guid.NewGuid():N}");
        File.WriteAllText(latestTemporary, name);
        if (durable)
        {
            DurableFiles.FlushFile(latestTemporary);
        }
        File.Move(latestTemporary, Path.Combine(rootPath, LatestFileName), overwrite: true);
        if (durable)
        {
            DurableFiles.FlushDirectory(rootPath);
        }
        Prune(rootPath, name);
        Logger.Information("Checkpoint {Name} written to {Root}", name, rootPath);
        return final;
    }

    /// <summary>
    /// Restores <paramref name="learner"/> from <paramref name="path"/>: one checkpoint directory (strictly: a damaged
    /// one throws), or a root, whose newest checkpoint that verifies is loaded (see <see cref="LoadNewest"/>); throws
    /// <see cref="FileNotFoundException"/> when a root holds none.
    /// </summary>
    public static void Load(PpoLearner learner, string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(full, ManifestFileName)))
        {
            LoadDirectory(learner, full);
            return;
        }
        if (LoadNewest(learner, full) is null)
        {
            throw new FileNotFoundException(
                $"No usable checkpoint under '{full}': neither {ManifestFileName} nor a {LatestFileName} or ckpt-* directory that verifies.",
                Path.Combine(full, LatestFileName));
        }
    }

    /// <summary>
    /// Loads the newest checkpoint under <paramref name="root"/> that verifies: the one <c>LATEST</c> names first,
    /// then every <c>ckpt-*</c> directory newest first. Each damaged one is logged by name with the reason and
    /// skipped; temporaries a crash left behind are removed. Returns the loaded directory, or null when there is
    /// none (the caller starts fresh). A checkpoint of a different network or a newer format still throws: that is a
    /// configuration error, not damage, and training over it from scratch would be wrong.
    /// </summary>
    public static string? LoadNewest(PpoLearner learner, string root)
    {
        string rootPath = Path.GetFullPath(root);
        if (!Directory.Exists(rootPath))
        {
            return null;
        }
        RemoveTemporaries(rootPath);
        foreach (string candidate in Candidates(rootPath))
        {
            try
            {
                LoadDirectory(learner, candidate);
                return candidate;
            }
            catch (CorruptCheckpointException ex)
            {
                Logger.Warning("Skipping checkpoint {Directory}: {Reason}", ex.Directory, ex.Reason);
            }
        }
        if (Directory.EnumerateDirectories(rootPath, "ckpt-*").Any())
        {
            Logger.Error("No checkpoint under {Root} verifies; starting from fresh weights (the damaged ones are left for inspection)", rootPath);
        }
        return null;
    }

    /// <summary>The checkpoint directory <paramref name="path"/> points at, through <c>LATEST</c> when it is a root.</summary>
    public static string ResolveCheckpointDirectory(string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(full, ManifestFileName)))
        {
            return full;
        }
        string latest = Path.Combine(full, LatestFileName);
        if (!File.Exists(latest))
        {
            throw new FileNotFoundException($"No checkpoint at '{full}': neither {ManifestFileName} nor {LatestFileName} exists.", latest);
        }
        string name = File.ReadAllText(latest).Trim();
        string directory = Path.Combine(full, name);
        if (!IsCheckpointName(name) || !Directory.Exists(directory))
        {
            throw new InvalidDataException($"{latest} names '{name}', which is not a checkpoint directory under {full}.");
        }
        return directory;
    }

    /// <summary>
    /// Checks a checkpoint without loading it: manifest readable, format known, every file present with the size
    /// and SHA-256 the manifest states. Throws <see cref="CorruptCheckpointException"/> naming the file.
    /// </summary>
    public static CheckpointManifest Verify(string directory)
    {
        string manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new CorruptCheckpointException(directory, $"{ManifestFileName} is missing");
        }
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(manifestPath), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new CorruptCheckpointException(directory, $"{ManifestFileName} is not valid JSON ({ex.Message})", ex);
        }
        if (manifest is null || manifest.Hidden is null)
        {
            throw new CorruptCheckpointException(directory, $"{ManifestFileName} is empty or incomplete");
        }
        if (manifest.FormatVersion > CheckpointManifest.CurrentFormat || manifest.FormatVersion < 1)
        {
            throw new InvalidDataException(
                $"Checkpoint {directory} has format {manifest.FormatVersion}; this build reads 1 to {CheckpointManifest.CurrentFormat}.");
        }
        foreach (string file in DataFiles)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                throw new CorruptCheckpointException(directory, $"{file} is missing");
            }
            if (manifest.FormatVersion < 2)
            {
                continue; // format 1 carried no checksums
            }
            if (manifest.Files is null || !manifest.Files.TryGetValue(file, out CheckpointFile? expected))
            {
                throw new CorruptCheckpointException(directory, $"{ManifestFileName} lists no checksum for {file}");
            }
            long length = new FileInfo(path).Length;
            if (length != expected.Length)
            {
                throw new CorruptCheckpointException(directory, $"{file} has {length} bytes; the manifest says {expected.Length}");
            }
            string actual = DurableFiles.Sha256(path);
            if (!string.Equals(actual, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new CorruptCheckpointException(directory, $"{file} has SHA-256 {actual}; the manifest says {expected.Sha256}");
            }
        }
        return manifest;
    }

    private static void LoadDirectory(PpoLearner learner, string directory)
    {
        CheckpointManifest manifest = Verify(directory);
        PpoConfig config = learner.Config;
        if (manifest.ObservationSize != config.ObservationSize || manifest.ActionSize != config.ActionSize
            || !manifest.Hidden.SequenceEqual(config.Hidden))
        {
            throw new InvalidDataException(
                $"Checkpoint {directory} holds a {manifest.ObservationSize}→[{string.Join(",", manifest.Hidden)}]→{manifest.ActionSize} network; " +
                $"the learner is {config.ObservationSize}→[{string.Join(",", config.Hidden)}]→{config.ActionSize}.");
        }
        RunningNormalizer normalizer;
        try
        {
            using (FileStream stream = File.OpenRead(Path.Combine(directory, NormalizerFileName)))
            using (var reader = new BinaryReader(stream))
            {
                normalizer = RunningNormalizer.Read(reader);
            }
            learner.Policy.load(Path.Combine(directory, PolicyFileName));
            learner.Value.load(Path.Combine(directory, ValueFileName));
            learner.Optimizer.load_state_dict(Path.Combine(directory, OptimizerFileName));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or FormatException
                                   or System.Runtime.InteropServices.ExternalException)
        {
            // Format 1 has no checksums, so damage can surface only here; the next candidate overwrites every tensor.
            throw new CorruptCheckpointException(directory, $"{ex.GetType().Name}: {ex.Message}", ex);
        }
        learner.RestoreState(normalizer, manifest.LearningRate, manifest.PolicyVersion, manifest.UpdateCount, manifest.TotalTransitions);
        Logger.Information(
            "Resumed from {Directory}: policy version {Version}, {Updates} updates", directory, manifest.PolicyVersion, manifest.UpdateCount);
    }

    // LATEST's target first (it is the newest completed save), then every checkpoint directory newest first.
    private static IEnumerable<string> Candidates(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string latest = Path.Combine(root, LatestFileName);
        if (File.Exists(latest))
        {
            string name = "";
            try
            {
                name = File.ReadAllText(latest).Trim();
            }
            catch (IOException ex)
            {
                Logger.Warning("Ignoring {Latest}: {Reason}", latest, ex.Message);
            }
            if (IsCheckpointName(name) && Directory.Exists(Path.Combine(root, name)))
            {
                seen.Add(name);
                yield return Path.Combine(root, name);
            }
            else if (name.Length > 0 || new FileInfo(latest).Length == 0)
            {
                Logger.Warning("Ignoring {Latest}: it names '{Name}', which is not a checkpoint here", latest, name);
            }
        }
        foreach (string name in Directory.GetDirectories(root, "ckpt-*").Select(Path.GetFileName).OfType<string>()
                     .OrderByDescending(n => n, StringComparer.Ordinal))
        {
            if (seen.Add(name))
            {
                yield return Path.Combine(root, name);
            }
        }
    }

    private static bool IsCheckpointName(string name)
    {
        return name.StartsWith("ckpt-", StringComparison.Ordinal) && name.IndexOfAny(['/', '\\']) < 0 && name is not ("." or "..");
    }

    // Only one learner writes under a root, so at its start every temporary is a crash's leftover.
    private static void RemoveTemporaries(string root)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(root, TemporaryPrefix + "*"))
        {
            try
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
                Logger.Information("Removed {Entry}, left by an interrupted checkpoint", entry);
            }
            catch (IOException ex)
            {
                Logger.Warning("Could not remove {Entry}: {Reason}", entry, ex.Message);
            }
            catch (UnauthorizedAccessException ex)
            {
                Logger.Warning("Could not remove {Entry}: {Reason}", entry, ex.Message);
            }
        }
    }

    private static void Prune(string root, string current)
    {
        IEnumerable<string> old = Directory.GetDirectories(root, "ckpt-*")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n != current)
            .OrderByDescending(n => n, StringComparer.Ordinal)
            .Skip(Keep - 1);
        foreach (string name in old)
        {
            Directory.Delete(Path.Combine(root, name), recursive: true);
        }
    }
}
