using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Evaluation;

/// <summary>Anyone → evaluation actor: score a dataset split once the policy has reached a version.</summary>
[MessagePackObject]
public sealed record RequestEvaluation(
    [property: Key(0)] string Split,
    [property: Key(1)] long MinimumPolicyVersion,
    [property: Key(2)] int MaxSequences) : IClusterMessage
{
    /// <summary>Value of <see cref="MaxSequences"/> meaning the whole split.</summary>
    public const int AllSequences = 0;

    public void Validate()
    {
        Require.NotEmpty(nameof(RequestEvaluation), nameof(Split), Split);
        Require.InRange(nameof(RequestEvaluation), nameof(MinimumPolicyVersion), MinimumPolicyVersion, 0, long.MaxValue);
        Require.InRange(nameof(RequestEvaluation), nameof(MaxSequences), MaxSequences, 0, int.MaxValue);
    }
}
