using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Policy;
using MsMano.Environments.Rollouts;

namespace MsMano.Environments.Synthetic;

/// <summary>
/// A cheap stand-in environment with a learnable optimum, for cluster tests and transport benchmarks: observation
/// x ~ U[-1, 1]^obs, the best action is a fixed linear map of x (|target| &lt; 0.8), reward
/// exp(-2 mean_j |clip(a_j) - target_j|). Every episode is one step (each transition Terminated), so reward rises
/// as soon as PPO learns the map. Acts through the real <see cref="PolicyRunner"/>, like the IDNet environment.
/// </summary>
public sealed class TargetTrackingSource : IRolloutSource
{
    private readonly float[] _map;
    private readonly Random _observationRng;
    private readonly float[] _observations;
    private readonly float[] _actions;
    private readonly float[] _logProbs;
    private GaussianRng _actionRng;
    private PolicyRunner _runner;
    private int[] _hidden;

    public TargetTrackingSource(int agents, int observationSize = 8, int actionSize = 2, int seed = 1, int[]? hidden = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(agents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        AgentCount = agents;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        // The map is the same on every node (seed 0) so that all nodes teach the learner one task.
        var mapRng = new Random(0);
        _map = new float[actionSize * observationSize];
        double scale = 0.8 / observationSize;
        for (int i = 0; i < _map.Length; i++)
        {
            _map[i] = (float)((mapRng.NextDouble() * 2 - 1) * scale);
        }
        _observationRng = new Random(seed);
        _actionRng = new GaussianRng((ulong)seed * 0x9E3779B97F4A7C15UL + 1);
        _observations = new float[agents * observationSize];
        _actions = new float[agents * actionSize];
        _logProbs = new float[agents];
        Fill(_observations);
        _hidden = hidden ?? [32, 32];
        _runner = new PolicyRunner(RandomPolicySnapshot.Create(observationSize, _hidden, actionSize, seed), agents);
    }

    public int AgentCount { get; }

    public int ObservationSize { get; }

    public int ActionSize { get; }

    public long PolicyVersion => _runner.Version;

    public void LoadPolicy(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.ObservationSize != ObservationSize || snapshot.ActionSize != ActionSize)
        {
            throw new ArgumentException(
                $"Policy v{snapshot.Version} is {snapshot.ObservationSize}→{snapshot.ActionSize}; this source is {ObservationSize}→{ActionSize}.", nameof(snapshot));
        }
        if (snapshot.Hidden.AsSpan().SequenceEqual(_hidden))
        {
            _runner.Load(snapshot);
        }
        else
        {
            // The learner's network shape is its own choice; a new shape needs new buffers.
            _runner = new PolicyRunner(snapshot, AgentCount);
            _hidden = snapshot.Hidden.ToArray();
        }
    }

    public void Collect(RolloutBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Agents != AgentCount || buffer.ObservationSize != ObservationSize || buffer.ActionSize != ActionSize)
        {
            throw new ArgumentException("The buffer's sizes do not match this source.", nameof(buffer));
        }
        int n = AgentCount;
        for (int t = 0; t < buffer.Steps; t++)
        {
            _runner.Act(_observations, _actions, _logProbs, deterministic: false, ref _actionRng);
            int row = t * n;
            _observations.CopyTo(buffer.Observations.AsSpan(row * ObservationSize));
            _actions.CopyTo(buffer.Actions.AsSpan(row * ActionSize));
            _logProbs.CopyTo(buffer.LogProbs.AsSpan(row));
            for (int a = 0; a < n; a++)
            {
                buffer.Rewards[row + a] = Reward(_observations.AsSpan(a * ObservationSize, ObservationSize), _actions.AsSpan(a * ActionSize, ActionSize));
                buffer.Flags[row + a] = TransitionFlags.Terminated;
            }
            // Every episode is one step: the next observation starts a new one.
            Fill(_observations);
        }
        _observations.CopyTo(buffer.NextObservations, 0);
        buffer.PolicyVersion = PolicyVersion;
    }

    /// <summary>The reward of <paramref name="action"/> in <paramref name="observation"/> (1 at the optimum).</summary>
    public float Reward(ReadOnlySpan<float> observation, ReadOnlySpan<float> action)
    {
        double error = 0;
        for (int j = 0; j < ActionSize; j++)
        {
            double target = 0;
            for (int k = 0; k < ObservationSize; k++)
            {
                target += _map[j * ObservationSize + k] * observation[k];
            }
            error += Math.Abs(Math.Clamp(action[j], -1f, 1f) - target);
        }
        return (float)Math.Exp(-2.0 * error / ActionSize);
    }

    public void Dispose()
    {
    }

    private void Fill(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(_observationRng.NextDouble() * 2 - 1);
        }
    }
}
