using System.Globalization;
using System.Text;
using Serilog;

namespace MsMano.Learning.Metrics;

/// <summary>Log-line outlet: one Serilog line for every <paramref name="every"/>-th step, naming the chosen tags.</summary>
public sealed class LogSink(ILogger log, string prefix, IReadOnlyList<string> tags, int every = 1) : IMetricsSink
{
    public void Record(MetricsSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (every > 1 && sample.Step % every != 0)
        {
            return;
        }
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{prefix} {sample.Step}:");
        foreach (string tag in tags)
        {
            line.Append(CultureInfo.InvariantCulture, $" {tag} {sample[tag]:G5}");
        }
        log.Information("{Metrics}", line.ToString());
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
