using MessagePack;

namespace MsMano.Contracts.Evaluation;

/// <summary>One cell of the summary table: e.g. ("BioPR", "test", "MPJPE", 9.87, "mm").</summary>
[MessagePackObject]
public sealed record EvaluationMetric(
    [property: Key(0)] string Method,
    [property: Key(1)] string Split,
    [property: Key(2)] string Name,
    [property: Key(3)] double Value,
    [property: Key(4)] string Unit);
