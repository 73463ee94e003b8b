using System.Runtime.InteropServices;

namespace MsMano.Contracts.Rollouts;

/// <summary>
/// Typed, zero-copy spans over a validated <see cref="RolloutChunk"/>. Obtain it through
/// <see cref="RolloutChunk.Read"/> so the lengths are known to match the header.
/// </summary>
public readonly ref struct RolloutView
{
    private readonly RolloutChunk _chunk;

    internal RolloutView(RolloutChunk chunk)
    {
        _chunk = chunk;
    }

    public int AgentCount => _chunk.AgentCount;

    public int StepCount => _chunk.StepCount;

    public int ObservationSize => _chunk.ObservationSize;

    public int ActionSize => _chunk.ActionSize;

    /// <summary>[T * N * obs], time-major.</summary>
    public ReadOnlySpan<float> Observations => MemoryMarshal.Cast<byte, float>(_chunk.Observations);

    /// <summary>[T * N * act]: the policy's raw (pre-squash) actions, which the log-probabilities refer to.</summary>
    public ReadOnlySpan<float> Actions => MemoryMarshal.Cast<byte, float>(_chunk.Actions);

    /// <summary>[T * N].</summary>
    public ReadOnlySpan<float> LogProbs => MemoryMarshal.Cast<byte, float>(_chunk.LogProbs);

    /// <summary>[T * N].</summary>
    public ReadOnlySpan<float> Rewards => MemoryMarshal.Cast<byte, float>(_chunk.Rewards);

    /// <summary>[T * N].</summary>
    public ReadOnlySpan<TransitionFlags> Flags => MemoryMarshal.Cast<byte, TransitionFlags>(_chunk.Flags);

    /// <summary>[N * obs]: the observation after the last step, for value bootstrap.</summary>
    public ReadOnlySpan<float> NextObservations => MemoryMarshal.Cast<byte, float>(_chunk.NextObservations);

    /// <summary>The observation of agent <paramref name="agent"/> (chunk-local index) at step <paramref name="step"/>.</summary>
    public ReadOnlySpan<float> ObservationAt(int step, int agent)
    {
        return Observations.Slice(((step * AgentCount) + agent) * ObservationSize, ObservationSize);
    }

    /// <summary>The raw action of agent <paramref name="agent"/> (chunk-local index) at step <paramref name="step"/>.</summary>
    public ReadOnlySpan<float> ActionAt(int step, int agent)
    {
        return Actions.Slice(((step * AgentCount) + agent) * ActionSize, ActionSize);
    }
}
