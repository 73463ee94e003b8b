using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Evaluation;

/// <summary>Evaluation → requester: the summary table and, optionally, the report rendered as markdown.</summary>
[MessagePackObject]
public sealed record EvaluationReport(
    [property: Key(0)] string Title,
    [property: Key(1)] long PolicyVersion,
    [property: Key(2)] EvaluationMetric[] Metrics,
    [property: Key(3)] string? Markdown) : IClusterMessage
{
    public const int MaxMetrics = 4096;

    /// <summary>Keeps the report far below a remoting frame; full reports and plots go to disk, not the wire.</summary>
    public const int MaxMarkdownLength = 48 * 1024;

    private const string TypeName = nameof(EvaluationReport);

    public void Validate()
    {
        Require.NotEmpty(TypeName, nameof(Title), Title);
        Require.InRange(TypeName, nameof(PolicyVersion), PolicyVersion, 0, long.MaxValue);
        Require.NotNull(TypeName, nameof(Metrics), Metrics);
        Require.InRange(TypeName, nameof(Metrics) + ".Length", Metrics.Length, 0, MaxMetrics);
        for (int i = 0; i < Metrics.Length; i++)
        {
            EvaluationMetric? metric = Metrics[i];
            string field = $"{nameof(Metrics)}[{i}]";
            Require.NotNull(TypeName, field, metric);
            Require.NotEmpty(TypeName, field + "." + nameof(EvaluationMetric.Method), metric!.Method);
            Require.NotEmpty(TypeName, field + "." + nameof(EvaluationMetric.Split), metric.Split);
            Require.NotEmpty(TypeName, field + "." + nameof(EvaluationMetric.Name), metric.Name);
            Require.NotNull(TypeName, field + "." + nameof(EvaluationMetric.Unit), metric.Unit);
        }
        if (Markdown is not null)
        {
            Require.InRange(TypeName, nameof(Markdown) + ".Length", Markdown.Length, 0, MaxMarkdownLength);
        }
    }
}
