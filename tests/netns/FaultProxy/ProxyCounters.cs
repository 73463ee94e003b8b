using System.Globalization;

namespace MsMano.NetFaults;

/// <summary>What the proxy did, written every 2 s as one key=value line (the harness reports it).</summary>
public sealed class ProxyCounters
{
    public long Connections;
    public long Bytes;
    public long Segments;
    public long LostReads;
    public long Resets;

    public string Line(FaultSettings faults) => string.Create(CultureInfo.InvariantCulture,
        $"connections={Interlocked.Read(ref Connections)} bytes={Interlocked.Read(ref Bytes)} segments={Interlocked.Read(ref Segments)} " +
        $"lost_reads={Interlocked.Read(ref LostReads)} resets={Interlocked.Read(ref Resets)} faults=\"{faults.Current}\"");

    public async Task ReportAsync(string? path, FaultSettings faults, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(2000, stop).ConfigureAwait(false);
            if (path is not null)
            {
                string tmp = path + ".tmp";
                await File.WriteAllTextAsync(tmp, Line(faults) + "\n", CancellationToken.None).ConfigureAwait(false);
                File.Move(tmp, path, overwrite: true);
            }
        }
    }
}
