namespace MsMano.Learning.Metrics;

/// <summary>One named number, tagged the TensorBoard way (<c>group/name</c>).</summary>
public readonly record struct Metric(string Tag, double Value);

/// <summary>The metrics of one step (an update), in the order the producer gave them.</summary>
public sealed record MetricsSample(long Step, IReadOnlyList<Metric> Values)
{
    /// <summary>The value tagged <paramref name="tag"/>, or NaN when the sample does not carry it.</summary>
    public double this[string tag]
    {
        get
        {
            foreach (Metric m in Values)
            {
                if (m.Tag == tag)
                {
                    return m.Value;
                }
            }
            return double.NaN;
        }
    }
}
