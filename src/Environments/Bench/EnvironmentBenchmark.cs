using System.Diagnostics;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Environments.Policy;
using MsMano.Environments.Rollouts;

namespace MsMano.Environments.Bench;

/// <summary>One configuration's median agent-steps per second on one thread.</summary>
public sealed record EnvironmentThroughput(string Name, double AgentStepsPerSecond);

/// <summary>Raw simulator vs the IDNet environment vs environment + IDNet inference, measured in one run.</summary>
public sealed record EnvironmentBenchmarkResult(EnvironmentThroughput RawSimulator, EnvironmentThroughput Environment, EnvironmentThroughput EnvironmentWithPolicy, int Agents)
{
    public double EnvironmentRatio => Environment.AgentStepsPerSecond / RawSimulator.AgentStepsPerSecond;
    public double WithPolicyRatio => EnvironmentWithPolicy.AgentStepsPerSecond / RawSimulator.AgentStepsPerSecond;
}

/// <summary>
/// What training costs per agent-step on one core, against the bare physics: (1) HandBatch.Step with muscles applied
/// (the `bench` baseline), (2) the training environment with fixed actions (PD + inverse dynamics, reference
/// sampling, observation, reward), (3) the rollout source: environment + IDNet sampling with PolicyRunner.
/// Median of rounds, each a fixed wall-clock slice; rounds alternate configurations so drift hits all alike.
/// </summary>
public static class EnvironmentBenchmark
{
    public static EnvironmentBenchmarkResult Run(HandPlant plant, IReadOnlyList<ReferenceMotion> motions, int agents = 64, double secondsPerRound = 1.0, int rounds = 3)
    {
        var options = new IdNetEnvironmentOptions();
        var raw = new HandBatch(plant, agents, options.Simulation);
        var env = new IdNetEnvironment(plant, motions, agents, options, seed: 1);
        using var source = new IdNetRolloutSource(plant, motions, agents, options, seed: 2,
            RandomPolicySnapshot.Create(options.ObservationSize, actionSize: IdNetEnvironmentOptions.ActionSize, seed: 1));
        float[] actions = new float[agents * env.ActionSize];
        actions.AsSpan().Fill(-0.9f);
        float[] rewards = new float[agents];
        var flags = new TransitionFlags[agents];
        float[] obs = new float[agents * env.ObservationSize];
        const int Steps = 8;
        var buffer = new RolloutBuffer(Steps, agents, env.ObservationSize, env.ActionSize);

        void RawStep() => raw.Step();
        void EnvStep()
        {
            env.WriteObservations(obs);
            env.Step(actions, rewards, flags);
        }
        // Per call Steps control steps.
        void SourceCollect() => source.Collect(buffer);

        // Warm-up (JIT, caches).
        Rate(RawStep, 0.2, agents);
        Rate(EnvStep, 0.2, agents);
        Rate(SourceCollect, 0.2, agents * Steps);
        var r = new List<double>();
        var e = new List<double>();
        var s = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            r.Add(Rate(RawStep, secondsPerRound, agents));
            e.Add(Rate(EnvStep, secondsPerRound, agents));
            s.Add(Rate(SourceCollect, secondsPerRound, agents * Steps));
        }
        return new EnvironmentBenchmarkResult(
            new EnvironmentThroughput("raw HandBatch.Step (muscles applied)", Median(r)),
            new EnvironmentThroughput("IDNet environment (PD + inverse dynamics, reward)", Median(e)),
            new EnvironmentThroughput("environment + IDNet inference (rollout source)", Median(s)),
            agents);
    }

    private static double Rate(Action step, double seconds, int agentStepsPerCall)
    {
        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            step();
            calls++;
        }
        return calls * agentStepsPerCall / clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
