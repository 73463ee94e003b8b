using MsMano.Contracts.Policy;
using MsMano.Environments.Policy;

namespace MsMano.Environments.Tests.Policy;

[Collection("Torch")]
public sealed class PolicyRunnerTests
{
    private static float[] Observations(int agents, int size, int seed)
    {
        var rng = new Random(seed);
        float[] obs = new float[agents * size];
        for (int i = 0; i < obs.Length; i++)
        {
            // Wide enough that some normalised features hit the ±10 clip.
            obs[i] = (float)(rng.NextDouble() * 8 - 4) * (i % 37 == 0 ? 20f : 1f);
        }
        return obs;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = relative * Math.Max(1.0, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}] torch {expected[i]} vs runner {actual[i]}");
        }
    }

    [Theory]
    [InlineData(64, VectorWidth.Bits512)]
    [InlineData(7, VectorWidth.Bits512)]
    [InlineData(64, VectorWidth.Bits256)]
    [InlineData(7, VectorWidth.Bits256)]
    [InlineData(64, VectorWidth.Scalar)]
    [InlineData(1, VectorWidth.Scalar)]
    public void Mean_matches_the_TorchSharp_forward_within_1e_4_relative(int agents, VectorWidth width)
    {
        PolicySnapshot snapshot = RandomPolicySnapshot.Create(seed: 4);
        var runner = new PolicyRunner(snapshot, maxAgents: 64, width);
        Assert.Equal(VectorWidths.Supported(width), runner.Width);
        using var reference = new TorchPolicyForward(snapshot);
        float[] obs = Observations(agents, snapshot.ObservationSize, seed: agents);
        float[] expected = new float[agents * snapshot.ActionSize];
        float[] actual = new float[agents * snapshot.ActionSize];

        reference.Forward(obs, expected);
        Assert.Equal(agents, runner.EvaluateMean(obs, actual));

        Assert.Contains(expected, v => Math.Abs(v) > 0.5f);
        AssertClose(expected, actual, 1e-4);
    }

    [Theory]
    [InlineData(VectorWidth.Bits512)]
    [InlineData(VectorWidth.Bits256)]
    [InlineData(VectorWidth.Scalar)]
    public void Odd_shapes_with_padding_match_too(VectorWidth width)
    {
        PolicySnapshot snapshot = RandomPolicySnapshot.Create(observationSize: 13, hidden: [20, 9], actionSize: 3, seed: 8);
        var runner = new PolicyRunner(snapshot, maxAgents: 10, width);
        using var reference = new TorchPolicyForward(snapshot);
        float[] obs = Observations(10, 13, seed: 2);
        float[] expected = new float[30];
        float[] actual = new float[30];
        reference.Forward(obs, expected);
        runner.EvaluateMean(obs, actual);
        AssertClose(expected, actual, 1e-4);
    }

    [Fact]
    public void Sampled_log_probs_match_the_gaussian_log_density()
    {
        PolicySnapshot snapshot = RandomPolicySnapshot.Create(seed: 5);
        var runner = new PolicyRunner(snapshot, maxAgents: 64);
        float[] obs = Observations(64, snapshot.ObservationSize, seed: 9);
        float[] means = new float[64 * 31];
        float[] actions = new float[64 * 31];
        float[] logProbs = new float[64];
        var rng = new GaussianRng(42);
        runner.EvaluateMean(obs, means);
        runner.Act(obs, actions, logProbs, deterministic: false, ref rng);

        ReadOnlySpan<float> logStd = snapshot.Get(PolicySnapshot.LogStdName).AsFloats();
        bool anyDiffers = false;
        for (int a = 0; a < 64; a++)
        {
            double density = 0;
            for (int j = 0; j < 31; j++)
            {
                double sigma = Math.Exp(logStd[j]);
                double z = (actions[a * 31 + j] - means[a * 31 + j]) / sigma;
                density += -0.5 * z * z - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
                anyDiffers |= actions[a * 31 + j] != means[a * 31 + j];
            }
            Assert.True(Math.Abs(density - logProbs[a]) <= 1e-3 * Math.Max(1, Math.Abs(density)), $"agent {a}: {density} vs {logProbs[a]}");
        }
        Assert.True(anyDiffers);
    }

    [Fact]
    public void Deterministic_act_returns_the_mean_and_its_density_and_sampling_is_reproducible()
    {
        PolicySnapshot snapshot = RandomPolicySnapshot.Create(seed: 6);
        var runner = new PolicyRunner(snapshot, maxAgents: 8);
        float[] obs = Observations(8, snapshot.ObservationSize, seed: 3);
        float[] means = new float[8 * 31];
        float[] actions = new float[8 * 31];
        float[] logProbs = new float[8];
        var rng = new GaussianRng(1);
        runner.EvaluateMean(obs, means);
        runner.Act(obs, actions, logProbs, deterministic: true, ref rng);
        Assert.Equal(means, actions);
        double expected = 0;
        foreach (float l in snapshot.Get(PolicySnapshot.LogStdName).AsFloats())
        {
            expected += -l - 0.5 * Math.Log(2 * Math.PI);
        }
        Assert.All(logProbs, lp => Assert.Equal(expected, lp, 4));

        float[] first = new float[8 * 31];
        float[] second = new float[8 * 31];
        var rngA = new GaussianRng(99);
        var rngB = new GaussianRng(99);
        runner.Act(obs, first, logProbs, deterministic: false, ref rngA);
        runner.Act(obs, second, logProbs, deterministic: false, ref rngB);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Act_allocates_nothing_per_call()
    {
        PolicySnapshot snapshot = RandomPolicySnapshot.Create(seed: 7);
        var runner = new PolicyRunner(snapshot, maxAgents: 64);
        float[] obs = Observations(64, snapshot.ObservationSize, seed: 1);
        float[] actions = new float[64 * 31];
        float[] logProbs = new float[64];
        var rng = new GaussianRng(3);
        for (int i = 0; i < 5; i++)
        {
            runner.Act(obs, actions, logProbs, deterministic: false, ref rng);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            runner.Act(obs, actions, logProbs, deterministic: false, ref rng);
            runner.EvaluateMean(obs, actions);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void New_weights_swap_in_and_a_different_shape_is_refused()
    {
        var runner = new PolicyRunner(RandomPolicySnapshot.Create(seed: 1, version: 3), maxAgents: 4);
        Assert.Equal(3, runner.Version);
        float[] obs = Observations(4, 192, seed: 5);
        float[] before = new float[4 * 31];
        float[] after = new float[4 * 31];
        runner.EvaluateMean(obs, before);
        runner.Load(RandomPolicySnapshot.Create(seed: 2, version: 4));
        runner.EvaluateMean(obs, after);
        Assert.Equal(4, runner.Version);
        Assert.NotEqual(before, after);

        ArgumentException ex = Assert.Throws<ArgumentException>(() => runner.Load(RandomPolicySnapshot.Create(hidden: [128, 128])));
        Assert.Contains("[128,128]", ex.Message);
    }

    [Fact]
    public void Bad_batch_sizes_are_rejected_with_the_field_named()
    {
        var runner = new PolicyRunner(RandomPolicySnapshot.Create(), maxAgents: 2);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => runner.EvaluateMean(new float[191], new float[31]));
        Assert.Contains("observations", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => runner.EvaluateMean(new float[3 * 192], new float[3 * 31]));
        Assert.Contains("MaxAgents 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => runner.EvaluateMean(new float[192], new float[30]));
        Assert.Contains("means", ex.Message);
        var rng = new GaussianRng(1);
        ex = Assert.Throws<ArgumentException>(() => runner.Act(new float[192], new float[31], new float[2], false, ref rng));
        Assert.Contains("logProbs", ex.Message);
    }

    [Fact]
    public void A_snapshot_file_round_trips_and_a_malformed_one_is_refused()
    {
        PolicySnapshot snapshot = RandomPolicySnapshot.Create(seed: 12, version: 17);
        string path = Path.Combine(Path.GetTempPath(), $"msmano-policy-{Guid.NewGuid():N}.snapshot");
        try
        {
            snapshot.Save(path);
            var loaded = PolicySnapshot.Load(path);
            Assert.Equal(17, loaded.Version);
            float[] obs = Observations(3, 192, seed: 4);
            float[] a = new float[93];
            float[] b = new float[93];
            new PolicyRunner(snapshot, 3).EvaluateMean(obs, a);
            new PolicyRunner(loaded, 3).EvaluateMean(obs, b);
            Assert.Equal(a, b);
        }
        finally
        {
            File.Delete(path);
        }

        PolicySnapshot broken = snapshot with
        {
            Tensors = snapshot.Tensors.Select(t => t.Name == PolicySnapshot.LogStdName ? TensorBlob.FromFloats(t.Name, [30], new float[30]) : t).ToArray(),
        };
        InvalidDataException ex = Assert.Throws<InvalidDataException>(() => new PolicyRunner(broken, 1));
        Assert.Contains("log_std", ex.Message);
    }

    [Fact]
    public void Gaussian_rng_has_unit_moments()
    {
        var rng = new GaussianRng(2024);
        const int n = 200_000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double z = rng.NextGaussian();
            sum += z;
            squares += z * z;
        }
        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(squares / n, 0.98, 1.02);
    }

    [Fact]
    public void Benchmark_returns_positive_throughputs()
    {
        PolicyRunnerBenchmarkResult result = PolicyRunnerBenchmark.Run(agents: 8, iterations: 5, RandomPolicySnapshot.Create(observationSize: 16, hidden: [32, 32], actionSize: 4));
        Assert.Equal(8, result.Agents);
        Assert.True(result.CSharpMeanAgentStepsPerSecond > 0 && result.TorchAgentStepsPerSecond > 0 && result.Ratio > 0);
    }
}
