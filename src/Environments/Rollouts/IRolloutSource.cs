using MsMano.Contracts.Policy;

namespace MsMano.Environments.Rollouts;

/// <summary>
/// Anything that steps a batch of agents under a policy copy and fills <see cref="RolloutBuffer"/>s: the IDNet
/// environment in production, a test double in actor tests. Not thread-safe: one owner (an actor) drives it.
/// </summary>
public interface IRolloutSource : IDisposable
{
    int AgentCount { get; }
    int ObservationSize { get; }
    int ActionSize { get; }

    /// <summary>Version of the policy copy currently acting (0 before any was loaded: the initial random policy).</summary>
    long PolicyVersion { get; }

    /// <summary>Replaces the acting policy copy. Throws <see cref="ArgumentException"/> when its sizes do not match.</summary>
    void LoadPolicy(PolicySnapshot snapshot);

    /// <summary>Steps <see cref="RolloutBuffer.Steps"/> control steps of every agent with the current policy, filling the buffer.</summary>
    void Collect(RolloutBuffer buffer);
}
