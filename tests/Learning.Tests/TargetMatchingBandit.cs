using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

/// <summary>
/// A contextual bandit with a known optimum: observation x ∈ U[−1, 1]², target(x) = 0.6·x₀ − 0.3·x₁, reward
/// exp(−2·|clip(a, −1, 1) − target|). Each episode is one step, so every transition is terminated.
/// </summary>
internal sealed class TargetMatchingBandit
{
    public const int ObservationSize = 2;
    public const int ActionSize = 1;

    private readonly Random _rng;

    public TargetMatchingBandit(int seed)
    {
        _rng = new Random(seed);
    }

    public static double Target(ReadOnlySpan<float> x) => 0.6 * x[0] - 0.3 * x[1];

    public static float Reward(ReadOnlySpan<float> x, float action) =>
        (float)Math.Exp(-2.0 * Math.Abs(Math.Clamp(action, -1f, 1f) - Target(x)));

    public float[] Observations(int agents)
    {
        float[] obs = new float[agents * ObservationSize];
        for (int i = 0; i < obs.Length; i++)
        {
            obs[i] = (float)(_rng.NextDouble() * 2 - 1);
        }
        return obs;
    }

    /// <summary>Collects one single-step segment of <paramref name="agents"/> agents with the learner's current policy.</summary>
    public RolloutSegment Collect(PpoLearner learner, int agents, Random actionRng)
    {
        float[] obs = Observations(agents);
        float[] actions = new float[agents * ActionSize];
        float[] logProbs = new float[agents];
        learner.Act(obs, actions, logProbs, deterministic: false, actionRng);
        float[] rewards = new float[agents];
        for (int i = 0; i < agents; i++)
        {
            rewards[i] = Reward(obs.AsSpan(i * ObservationSize, ObservationSize), actions[i]);
        }
        bool[] terminated = new bool[agents];
        Array.Fill(terminated, true);
        return new RolloutSegment
        {
            Steps = 1,
            Agents = agents,
            PolicyVersion = learner.PolicyVersion,
            Observations = obs,
            Actions = actions,
            LogProbs = logProbs,
            Rewards = rewards,
            Terminated = terminated,
            Truncated = new bool[agents],
            NextObservations = Observations(agents),
        };
    }

    public static PpoConfig Config(int seed) => new()
    {
        ObservationSize = ObservationSize,
        ActionSize = ActionSize,
        Hidden = new[] { 32, 32 },
        LearningRate = 3e-3,
        MinibatchSize = 128,
        Epochs = 4,
        EntropyCoef = 0.0,
        TargetKl = 0.02,
        Seed = seed,
        Device = "cpu",
    };
}
