namespace MsMano.Learning.Metrics;

/// <summary>Where a step's metrics go: every outlet (TensorBoard, history.csv, log lines, status file) is one of these.</summary>
public interface IMetricsSink : IDisposable
{
    void Record(MetricsSample sample);

    void Flush();
}

/// <summary>The one sink a producer writes to: hands every sample to each outlet in turn.</summary>
public sealed class MetricsSinks(params IMetricsSink[] outlets) : IMetricsSink
{
    private readonly IMetricsSink[] _outlets = outlets;

    public void Record(MetricsSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        foreach (IMetricsSink outlet in _outlets)
        {
            outlet.Record(sample);
        }
    }

    public void Flush()
    {
        foreach (IMetricsSink outlet in _outlets)
        {
            outlet.Flush();
        }
    }

    public void Dispose()
    {
        foreach (IMetricsSink outlet in _outlets)
        {
            outlet.Dispose();
        }
    }
}
