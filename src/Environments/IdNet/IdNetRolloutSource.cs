using MsMano.Biomechanics.Dynamics;
using MsMano.Contracts.Policy;
using MsMano.Environments.Motion;
using MsMano.Environments.Policy;
using MsMano.Environments.Rollouts;

namespace MsMano.Environments.IdNet;

/// <summary>
/// The production <see cref="IRolloutSource"/>: one <see cref="IdNetEnvironment"/> (a batch of hands) acting with a
/// pure-C# copy of IDNet (<see cref="PolicyRunner"/>). Collect allocates nothing per step.
/// </summary>
public sealed class IdNetRolloutSource : IRolloutSource
{
    private readonly PolicyRunner _policy;
    private GaussianRng _rng;

    public IdNetRolloutSource(HandPlant plant, IReadOnlyList<ReferenceMotion> motions, int agents, IdNetEnvironmentOptions options, ulong seed, PolicySnapshot? initialPolicy = null)
    {
        Environment = new IdNetEnvironment(plant, motions, agents, options, seed);
        PolicySnapshot snapshot = initialPolicy ?? RandomPolicySnapshot.Create(Environment.ObservationSize, actionSize: Environment.ActionSize, seed: (int)(seed % int.MaxValue), version: 0);
        CheckSizes(snapshot);
        _policy = new PolicyRunner(snapshot, agents);
        _rng = new GaussianRng(seed ^ 0xD1B54A32D192ED03UL);
    }

    public IdNetEnvironment Environment { get; }
    public int AgentCount => Environment.AgentCount;
    public int ObservationSize => Environment.ObservationSize;
    public int ActionSize => Environment.ActionSize;
    public long PolicyVersion => _policy.Version;

    /// <summary>Act with the policy mean instead of sampling (evaluation).</summary>
    public bool Deterministic { get; set; }

    public void LoadPolicy(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckSizes(snapshot);
        _policy.Load(snapshot);
    }

    public void Collect(RolloutBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Agents != AgentCount || buffer.ObservationSize != ObservationSize || buffer.ActionSize != ActionSize)
        {
            throw new ArgumentException(
                $"rollout buffer is {buffer.Agents} agents x obs {buffer.ObservationSize} x act {buffer.ActionSize}; this source is {AgentCount} x {ObservationSize} x {ActionSize}.",
                nameof(buffer));
        }
        int n = AgentCount;
        buffer.PolicyVersion = PolicyVersion;
        for (int t = 0; t < buffer.Steps; t++)
        {
            Span<float> obs = buffer.Observations.AsSpan(t * n * ObservationSize, n * ObservationSize);
            Span<float> actions = buffer.Actions.AsSpan(t * n * ActionSize, n * ActionSize);
            Environment.WriteObservations(obs);
            _policy.Act(obs, actions, buffer.LogProbs.AsSpan(t * n, n), Deterministic, ref _rng);
            Environment.Step(actions, buffer.Rewards.AsSpan(t * n, n), buffer.Flags.AsSpan(t * n, n));
        }
        Environment.WriteObservations(buffer.NextObservations);
    }

    public void Dispose()
    {
    }

    private void CheckSizes(PolicySnapshot snapshot)
    {
        if (snapshot.ObservationSize != Environment.ObservationSize || snapshot.ActionSize != Environment.ActionSize)
        {
            throw new ArgumentException(
                $"policy version {snapshot.Version} maps {snapshot.ObservationSize} observations to {snapshot.ActionSize} actions; this environment needs {Environment.ObservationSize} -> {Environment.ActionSize}.",
                nameof(snapshot));
        }
    }
}
