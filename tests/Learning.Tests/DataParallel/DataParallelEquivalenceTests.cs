using MsMano.Learning.Bench;
using MsMano.Learning.DataParallel;
using MsMano.Learning.Ppo;
using TorchSharp;
using TorchSharp.Modules;

namespace MsMano.Learning.Tests.DataParallel;

/// <summary>
/// On fixed rollouts, a data-parallel update over equal shards must equal the central update on the union batch:
/// weights, normaliser and Adam moments. Only the order of float sums differs, so the tolerance is float rounding.
/// </summary>
[Collection("Torch")]
public sealed class DataParallelEquivalenceTests
{
    // Absolute tolerance on weights and Adam moments (values are O(0.01..1)); float rounding of reordered sums.
    private const float Tolerance = 2e-5f;

    private static readonly PpoConfig Config = new()
    {
        ObservationSize = 10,
        ActionSize = 4,
        Hidden = [32, 32],
        MinibatchSize = 64,
        Epochs = 3,
        Seed = 5,
        Device = "cpu",
    };

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Sharded_updates_equal_the_central_update_on_the_union(int members)
    {
        IReadOnlyList<RolloutSegment>[] rounds = new[] { Batch(1), Batch(2) };
        using var central = new PpoLearner(Config);
        UpdateStats[] centralStats = rounds.Select(central.Update).ToArray();

        PpoLearner[] learners = Enumerable.Range(0, members).Select(_ => new PpoLearner(Config)).ToArray();
        try
        {
            var dpStats = new UpdateStats[members][];
            foreach (IReadOnlyList<RolloutSegment> round in rounds)
            {
                var group = new InProcessGroup(members);
                int perShard = round.Count / members;
                Thread[] threads = Enumerable.Range(0, members).Select(rank => new Thread(() =>
                {
                    torch.set_num_threads(1);
                    var shard = round.Skip(rank * perShard).Take(perShard).ToList();
                    UpdateStats stats = learners[rank].Update(shard, group.Member(rank));
                    lock (dpStats)
                    {
                        dpStats[rank] = [.. dpStats[rank] ?? [], stats];
                    }
                })).ToArray();
                foreach (Thread t in threads)
                {
                    t.Start();
                }
                foreach (Thread t in threads)
                {
                    Assert.True(t.Join(TimeSpan.FromMinutes(2)));
                }
            }

            foreach (PpoLearner learner in learners)
            {
                AssertClose(Parameters(central), Parameters(learner), "weights");
                AssertClose(AdamMoments(central), AdamMoments(learner), "Adam moments");
                AssertClose(central.Normalizer.Mean.ToArray(), learner.Normalizer.Mean.ToArray(), 1e-9, "normaliser mean");
                AssertClose(central.Normalizer.Variance.ToArray(), learner.Normalizer.Variance.ToArray(), 1e-9, "normaliser variance");
                Assert.Equal(central.Normalizer.Count, learner.Normalizer.Count);
                Assert.Equal(central.LearningRate, learner.LearningRate, 6);
                Assert.Equal(central.TotalTransitions, learner.TotalTransitions);
                Assert.Equal(central.PolicyVersion, learner.PolicyVersion);
            }
            // The copies themselves are bit-identical: every member applied the same summed gradient.
            Assert.Single(learners.Select(l => l.StateHash()).Distinct());
            for (int r = 0; r < rounds.Length; r++)
            {
                Assert.Equal(centralStats[r].Transitions, dpStats[0][r].Transitions);
                Assert.Equal(centralStats[r].MeanReward, dpStats[0][r].MeanReward, 9);
                Assert.Equal(centralStats[r].ApproxKl, dpStats[0][r].ApproxKl, 5);
            }
        }
        finally
        {
            foreach (PpoLearner learner in learners)
            {
                learner.Dispose();
            }
        }
    }

    [Fact]
    public void A_member_with_an_empty_shard_still_applies_the_group_update()
    {
        IReadOnlyList<RolloutSegment> round = Batch(3);
        using var central = new PpoLearner(Config);
        central.Update(round);
        using var full = new PpoLearner(Config);
        using var empty = new PpoLearner(Config);
        var group = new InProcessGroup(2);
        var a = new Thread(() => full.Update(round, group.Member(0)));
        var b = new Thread(() => empty.Update([], group.Member(1)));
        a.Start();
        b.Start();
        Assert.True(a.Join(TimeSpan.FromMinutes(2)) && b.Join(TimeSpan.FromMinutes(2)));
        Assert.Equal(full.StateHash(), empty.StateHash());
        AssertClose(Parameters(central), Parameters(empty), "weights");
    }

    [Fact]
    public void Reverting_the_last_update_restores_the_exact_state_before_it()
    {
        using var learner = new PpoLearner(Config);
        learner.Update(Batch(5));
        string before = learner.StateHash();
        float[] moments = AdamMoments(learner);
        learner.Update(Batch(6));
        Assert.NotEqual(before, learner.StateHash());
        learner.RevertLastUpdate();
        Assert.Equal(before, learner.StateHash());
        AssertClose(moments, AdamMoments(learner), "Adam moments");
        // Once reverted there is nothing left to revert.
        Assert.Throws<InvalidOperationException>(learner.RevertLastUpdate);
        // And the learner goes on as if the reverted update never ran.
        using var twin = new PpoLearner(Config);
        twin.Update(Batch(5));
        twin.Update(Batch(7));
        learner.Update(Batch(7));
        Assert.Equal(twin.StateHash(), learner.StateHash());
    }

    [Fact]
    public void Different_weights_give_different_hashes()
    {
        using var a = new PpoLearner(Config);
        using var b = new PpoLearner(Config);
        Assert.Equal(a.StateHash(), b.StateHash());
        a.Update(Batch(4));
        Assert.NotEqual(a.StateHash(), b.StateHash());
    }

    private static IReadOnlyList<RolloutSegment> Batch(int seed) => PpoBenchmark.SyntheticBatch(Config, segments: 8, agents: 8, steps: 4, seed);

    private static float[] Parameters(PpoLearner learner)
    {
        return learner.Policy.parameters().Concat(learner.Value.parameters())
            .SelectMany(p => p.detach().cpu().contiguous().data<float>().ToArray()).ToArray();
    }

    private static float[] AdamMoments(PpoLearner learner)
    {
        var values = new List<float>();
        foreach (OptimizerState state in learner.Optimizer.state_dict().State)
        {
            var adam = (Adam.State)state;
            values.AddRange(adam.exp_avg.detach().cpu().contiguous().data<float>().ToArray());
            values.AddRange(adam.exp_avg_sq.detach().cpu().contiguous().data<float>().ToArray());
            values.Add(adam.step);
        }
        return values.ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst:E2} exceeds {Tolerance:E1}");
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i])), $"{what}[{i}]: {expected[i]} vs {actual[i]}");
        }
    }
}
