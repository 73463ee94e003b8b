using MsMano.Contracts.Rollouts;

namespace MsMano.Learning.Ppo;

/// <summary>
/// T consecutive control steps of N agents from one simulation actor, struct-of-arrays, step-major
/// (index = t · N + i). The learner evaluates its own value net on these observations, so a simulation node only
/// needs the policy. Arrays convert implicitly to the memory fields.
/// </summary>
public sealed class RolloutSegment
{
    /// <summary>Steps per agent (T).</summary>
    public required int Steps { get; init; }

    /// <summary>Agents stepped in lockstep (N).</summary>
    public required int Agents { get; init; }

    /// <summary>Policy version that produced the actions and log-probs.</summary>
    public required long PolicyVersion { get; init; }

    /// <summary>Raw (un-normalised) observations before each step, [T · N · obs].</summary>
    public required ReadOnlyMemory<float> Observations { get; init; }

    /// <summary>The raw Gaussian samples, before the environment clips them to [−1, 1], [T · N · act].</summary>
    public required ReadOnlyMemory<float> Actions { get; init; }

    /// <summary>Log-density of each action under the behaviour policy, summed over action dims, [T · N].</summary>
    public required ReadOnlyMemory<float> LogProbs { get; init; }

    /// <summary>Reward for each step, [T · N].</summary>
    public required ReadOnlyMemory<float> Rewards { get; init; }

    /// <summary>True where the step ended the episode in a terminal state (no bootstrap), [T · N].</summary>
    public required ReadOnlyMemory<bool> Terminated { get; init; }

    /// <summary>The wire/buffer flags split into the <see cref="Terminated"/> and <see cref="Truncated"/> arrays.</summary>
    public static (bool[] Terminated, bool[] Truncated) SplitFlags(ReadOnlySpan<TransitionFlags> flags)
    {
        bool[] terminated = new bool[flags.Length];
        bool[] truncated = new bool[flags.Length];
        for (int k = 0; k < flags.Length; k++)
        {
            terminated[k] = (flags[k] & TransitionFlags.Terminated) != 0;
            truncated[k] = (flags[k] & TransitionFlags.Truncated) != 0;
        }
        return (terminated, truncated);
    }

    /// <summary>True where the episode was cut short (time limit, end of reference clip): bootstrap from the final observation, [T · N].</summary>
    public required ReadOnlyMemory<bool> Truncated { get; init; }

    /// <summary>Observation after the last step (after any auto-reset), for bootstrapping, [N · obs].</summary>
    public required ReadOnlyMemory<float> NextObservations { get; init; }

    /// <summary>
    /// Optional, [T · N · obs]: the true last observation of an episode at each step flagged <see cref="Truncated"/>
    /// (the environment has already reset, so neither the next row nor <see cref="NextObservations"/> holds it).
    /// Only the rows of truncated steps are read; required when any step is truncated and not terminated.
    /// </summary>
    public ReadOnlyMemory<float>? FinalObservations { get; init; }

    /// <summary>T · N.</summary>
    public int Transitions => Steps * Agents;

    /// <summary>
    /// Rejects a malformed segment before it can reach the learner: wrong lengths, or any NaN/∞ in a float field.
    /// The message names the field, the index and the value.
    /// </summary>
    public void Validate(int observationSize, int actionSize)
    {
        if (Steps <= 0)
        {
            throw new ArgumentException($"RolloutSegment.Steps must be positive, was {Steps}.", nameof(Steps));
        }
        if (Agents <= 0)
        {
            throw new ArgumentException($"RolloutSegment.Agents must be positive, was {Agents}.", nameof(Agents));
        }
        int n = Transitions;
        ExpectLength(nameof(Observations), Observations.Length, n * observationSize);
        ExpectLength(nameof(Actions), Actions.Length, n * actionSize);
        ExpectLength(nameof(LogProbs), LogProbs.Length, n);
        ExpectLength(nameof(Rewards), Rewards.Length, n);
        ExpectLength(nameof(Terminated), Terminated.Length, n);
        ExpectLength(nameof(Truncated), Truncated.Length, n);
        ExpectLength(nameof(NextObservations), NextObservations.Length, Agents * observationSize);
        ExpectFinite(nameof(Observations), Observations.Span);
        ExpectFinite(nameof(Actions), Actions.Span);
        ExpectFinite(nameof(LogProbs), LogProbs.Span);
        ExpectFinite(nameof(Rewards), Rewards.Span);
        ExpectFinite(nameof(NextObservations), NextObservations.Span);

        ReadOnlySpan<bool> terminated = Terminated.Span;
        ReadOnlySpan<bool> truncated = Truncated.Span;
        bool needsFinal = false;
        for (int k = 0; k < n; k++)
        {
            needsFinal |= truncated[k] && !terminated[k];
        }
        if (FinalObservations is { } final)
        {
            ExpectLength(nameof(FinalObservations), final.Length, n * observationSize);
            ReadOnlySpan<float> span = final.Span;
            for (int k = 0; k < n; k++)
            {
                if (truncated[k] && !terminated[k])
                {
                    ExpectFinite(nameof(FinalObservations), span.Slice(k * observationSize, observationSize), k * observationSize);
                }
            }
        }
        else if (needsFinal)
        {
            int first = truncated.IndexOf(true);
            throw new ArgumentException(
                $"RolloutSegment.Truncated[{first}] is set but FinalObservations is null; a truncated step needs its " +
                "final observation to bootstrap the value (policy version " + PolicyVersion + ").", nameof(FinalObservations));
        }
    }

    private void ExpectLength(string field, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"RolloutSegment.{field} has {actual} elements; expected {expected} for Steps={Steps}, Agents={Agents}.", field);
        }
    }

    private void ExpectFinite(string field, ReadOnlySpan<float> values, int offset = 0)
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!float.IsFinite(values[k]))
            {
                throw new ArgumentException(
                    $"RolloutSegment.{field}[{offset + k}] is {values[k]} (policy version {PolicyVersion}); NaN/Inf must never reach the learner.",
                    field);
            }
        }
    }
}
