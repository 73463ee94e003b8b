using MsMano.Contracts.Messaging;
using MsMano.Contracts.Rollouts;

namespace MsMano.Learning.Ppo;

/// <summary>
/// Turns a wire <see cref="RolloutChunk"/> into the learner's <see cref="RolloutSegment"/>. A chunk is a set of
/// whole agents over the same steps (the layout splits by agents), so one chunk is one self-contained segment and
/// a batch never waits for the rest of an actor's agents.
/// </summary>
public static class RolloutSegmentChunks
{
    /// <summary>
    /// Copies the blobs into typed arrays (both layouts are time-major, so no reshuffle) and validates the result
    /// against the learner's sizes: wrong sizes or any NaN/Inf throw <see cref="ArgumentException"/> naming the
    /// field, so a bad chunk is refused here and never reaches PPO.
    /// </summary>
    /// <remarks>
    /// The chunk carries no final observations, so a step flagged Truncated (and not Terminated) cannot be
    /// bootstrapped and is refused with a clear error. The IDNet environment marks the end of a reference clip as
    /// Terminated, which needs no final observation.
    /// </remarks>
    public static RolloutSegment FromChunk(RolloutChunk chunk, int observationSize, int actionSize)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        RolloutView view;
        try
        {
            view = chunk.Read();
        }
        catch (ContractValidationException ex)
        {
            throw new ArgumentException($"Rollout chunk {Describe(chunk)} is malformed: {ex.Message}", nameof(chunk), ex);
        }
        if (view.ObservationSize != observationSize || view.ActionSize != actionSize)
        {
            throw new ArgumentException(
                $"Rollout chunk {Describe(chunk)} has observation/action sizes {view.ObservationSize}/{view.ActionSize}; " +
                $"the learner expects {observationSize}/{actionSize}.", nameof(chunk));
        }

        (bool[] terminated, bool[] truncated) = RolloutSegment.SplitFlags(view.Flags);
        for (int k = 0; k < terminated.Length; k++)
        {
            if (truncated[k] && !terminated[k])
            {
                throw new ArgumentException(
                    $"Rollout chunk {Describe(chunk)}: transition {k} (step {k / view.AgentCount}, agent {chunk.FirstAgent + (k % view.AgentCount)}) " +
                    "is Truncated without Terminated, but chunks carry no final observation to bootstrap it from; " +
                    "the environment must mark episode ends as Terminated.", nameof(chunk));
            }
        }

        var segment = new RolloutSegment
        {
            Steps = view.StepCount,
            Agents = view.AgentCount,
            PolicyVersion = chunk.PolicyVersion,
            Observations = view.Observations.ToArray(),
            Actions = view.Actions.ToArray(),
            LogProbs = view.LogProbs.ToArray(),
            Rewards = view.Rewards.ToArray(),
            Terminated = terminated,
            Truncated = truncated,
            NextObservations = view.NextObservations.ToArray(),
        };
        try
        {
            segment.Validate(observationSize, actionSize);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Rollout chunk {Describe(chunk)} refused: {ex.Message}", nameof(chunk), ex);
        }
        return segment;
    }

    private static string Describe(RolloutChunk chunk)
    {
        return $"{chunk.NodeId}/{chunk.ActorId}#{chunk.Sequence} (policy {chunk.PolicyVersion})";
    }
}
