using System.Globalization;

namespace MsMano.NetFaults;

/// <summary>
/// The faults applied to every byte the proxy forwards, changeable while it runs (the harness switches them on and
/// off without restarting the cluster). Read from a file of <c>key=value</c> words:
/// <c>delay_ms</c> one-way latency added in each direction; <c>loss</c> the probability that one TCP segment
/// (<see cref="SegmentBytes"/> bytes) is lost; <c>rto_ms</c> how long a lost segment waits for its retransmission;
/// <c>reset</c> the probability per forwarded read that the connection is cut (both sockets reset).
/// </summary>
public sealed class FaultSettings
{
    /// <summary>A TCP segment on Ethernet: MSS 1448 bytes (1500 MTU, IPv4, timestamps).</summary>
    public const int SegmentBytes = 1448;

    private volatile Snapshot _current = new(TimeSpan.Zero, 0, TimeSpan.FromMilliseconds(200), 0);

    public Snapshot Current => _current;

    public sealed record Snapshot(TimeSpan Delay, double Loss, TimeSpan Retransmission, double Reset)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"delay {Delay.TotalMilliseconds:F0} ms, loss {Loss:P2} per {SegmentBytes}-byte segment (retransmit after {Retransmission.TotalMilliseconds:F0} ms), reset {Reset:P3} per read");
    }

    /// <summary>Parses "delay_ms=50 loss=0.01 rto_ms=200 reset=0"; an unknown key or a bad value is one clear error.</summary>
    public static Snapshot Parse(string text, string source)
    {
        double delay = 0, loss = 0, rto = 200, reset = 0;
        foreach (string word in text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = word.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? word : word[..eq];
            string raw = eq < 0 ? "" : word[(eq + 1)..];
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0)
            {
                throw new FormatException($"{source}: {key} = '{raw}' is not a finite number >= 0");
            }
            switch (key)
            {
                case "delay_ms": delay = value; break;
                case "loss": loss = value; break;
                case "rto_ms": rto = value; break;
                case "reset": reset = value; break;
                default: throw new FormatException($"{source}: unknown key '{key}' (delay_ms, loss, rto_ms, reset)");
            }
        }
        if (loss > 1 || reset > 1)
        {
            throw new FormatException($"{source}: loss = {loss} / reset = {reset}: probabilities must be <= 1");
        }
        return new Snapshot(TimeSpan.FromMilliseconds(delay), loss, TimeSpan.FromMilliseconds(rto), reset);
    }

    /// <summary>Re-reads <paramref name="path"/> every 0.5 s; a bad file keeps the previous faults and says why once.</summary>
    public static async Task FollowFileAsync(string path, FaultSettings settings, CancellationToken stop)
    {
        string? last = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                string text = File.Exists(path) ? await File.ReadAllTextAsync(path, stop).ConfigureAwait(false) : "";
                if (text != last)
                {
                    last = text;
                    settings._current = Parse(text, path);
                    Console.WriteLine($"fault-proxy: now {settings._current}");
                }
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"fault-proxy: {ex.Message}; keeping {settings._current}");
            }
            catch (IOException)
            {
                // Being rewritten; read it again next time.
            }
            await Task.Delay(500, stop).ConfigureAwait(false);
        }
    }
}
