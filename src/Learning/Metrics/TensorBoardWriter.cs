using MsMano.Learning.Ppo;

namespace MsMano.Learning.Metrics;

/// <summary>
/// Writes a TensorBoard event file (<c>events.out.tfevents.&lt;unix&gt;.&lt;host&gt;</c>) that TensorBoard reads
/// directly: TFRecord-framed <c>Event</c> protos, the first carrying file_version "brain.Event:2".
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    public const string FileVersion = "brain.Event:2";

    private readonly FileStream _stream;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();

    public TensorBoardWriter(string logDirectory, string? hostName = null, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(logDirectory);
        var host = SanitizeHost(hostName ?? Environment.MachineName);
        var now = _clock.GetUtcNow();
        var path = Path.Combine(logDirectory, $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{host}");
        // A second writer in the same second on the same host must not clobber the first file.
        for (int suffix = 1; File.Exists(path); suffix++)
        {
            path = Path.Combine(logDirectory, $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{host}.{suffix}");
        }
        FilePath = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        TfRecordFraming.Write(_stream, TensorBoardEventCodec.EncodeFileVersion(WallTime(), FileVersion));
        _stream.Flush();
    }

    public string FilePath { get; }

    public void AddScalar(string tag, float value, long step) => AddScalars(step, [new TensorBoardScalar(tag, value)]);

    /// <summary>Writes several scalars as one event at <paramref name="step"/>.</summary>
    public void AddScalars(long step, IReadOnlyCollection<TensorBoardScalar> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        foreach (var s in scalars)
        {
            if (string.IsNullOrEmpty(s.Tag))
            {
                throw new ArgumentException("TensorBoard scalar tag must not be empty.", nameof(scalars));
            }
        }
        lock (_gate)
        {
            TfRecordFraming.Write(_stream, TensorBoardEventCodec.EncodeScalars(WallTime(), step, scalars));
        }
    }

    /// <summary>The learner's standard scalars for one update: reward, losses, KL, learning rate, throughput.</summary>
    public void AddUpdate(UpdateStats stats, long step)
    {
        AddScalars(step,
        [
            new("train/mean_reward", (float)stats.MeanReward),
            new("train/policy_loss", (float)stats.PolicyLoss),
            new("train/value_loss", (float)stats.ValueLoss),
            new("train/entropy", (float)stats.Entropy),
            new("train/approx_kl", (float)stats.ApproxKl),
            new("train/clip_fraction", (float)stats.ClipFraction),
            new("train/explained_variance", (float)stats.ExplainedVariance),
            new("train/learning_rate", (float)stats.LearningRate),
            new("train/grad_norm", (float)stats.GradNorm),
            new("perf/update_seconds", (float)stats.Seconds),
            new("perf/transitions_per_second", (float)stats.TransitionsPerSecond),
            new("perf/policy_lag", stats.MaxPolicyLag),
        ]);
    }

    public void Flush()
    {
        lock (_gate)
        {
            _stream.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Flush();
            _stream.Dispose();
        }
    }

    /// <summary>Reads an event file back, verifying every CRC.</summary>
    public static IReadOnlyList<TensorBoardEvent> ReadEvents(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return TfRecordFraming.ReadAll(stream).Select(r => TensorBoardEventCodec.Decode(r)).ToList();
    }

    private double WallTime() => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private static string SanitizeHost(string host)
    {
        var chars = host.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return chars.Length == 0 ? "localhost" : new string(chars);
    }
}
