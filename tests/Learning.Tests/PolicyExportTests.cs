using MsMano.Contracts.Policy;
using MsMano.Learning.Bench;
using MsMano.Learning.Ppo;
using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Learning.Tests;

[Collection("Torch")]
public sealed class PolicyExportTests
{
    private static readonly PpoConfig Config = new()
    {
        ObservationSize = 10,
        ActionSize = 4,
        Hidden = [12, 8],
        MinibatchSize = 16,
        InitialLogStd = -0.5,
        Seed = 5,
        Device = "cpu",
    };

    [Fact]
    public void The_exported_snapshot_alone_reproduces_the_learners_mean_action()
    {
        using var learner = new PpoLearner(Config);
        learner.Update(PpoBenchmark.SyntheticBatch(Config, 2, 8, 2, seed: 4));
        string path = Path.Combine(Path.GetTempPath(), $"msmano-snapshot-{Guid.NewGuid():N}.snapshot");
        try
        {
            learner.ExportPolicy().Save(path);
            var snapshot = PolicySnapshot.Load(path);
            Assert.Equal(1, snapshot.Version);
            Assert.Equal([12, 8], snapshot.Hidden);

            float[] obs = new float[3 * Config.ObservationSize];
            var rng = new Random(8);
            for (int i = 0; i < obs.Length; i++)
            {
                obs[i] = (float)(rng.NextDouble() * 4 - 2);
            }
            float[] expected = learner.PredictMean(obs);
            float[] actual = ForwardFromSnapshot(snapshot, obs);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 5);
            }
            Assert.Equal(-0.5f, snapshot.Get(PolicySnapshot.LogStdName).AsFloats()[0], 2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deterministic_act_returns_the_mean_and_the_gaussian_log_density_at_it()
    {
        using var learner = new PpoLearner(Config);
        float[] obs = new float[2 * Config.ObservationSize];
        obs[3] = 1.5f;
        float[] actions = new float[2 * Config.ActionSize];
        float[] logProbs = new float[2];
        learner.Act(obs, actions, logProbs, deterministic: true, new Random(1));
        Assert.Equal(learner.PredictMean(obs), actions);
        double expected = Config.ActionSize * (0.5 - 0.5 * Math.Log(2 * Math.PI));
        Assert.Equal(expected, logProbs[0], 5);
    }

    private static float[] ForwardFromSnapshot(PolicySnapshot snapshot, float[] observations)
    {
        using DisposeScope scope = NewDisposeScope();
        int rows = observations.Length / snapshot.ObservationSize;
        Tensor x = tensor(observations, [rows, snapshot.ObservationSize]);
        Tensor mean = tensor(snapshot.Get(PolicySnapshot.ObservationMeanName).AsFloats().ToArray());
        Tensor variance = tensor(snapshot.Get(PolicySnapshot.ObservationVarianceName).AsFloats().ToArray());
        float clip = snapshot.Get(PolicySnapshot.ObservationClipName).AsFloats()[0];
        float epsilon = snapshot.Get(PolicySnapshot.ObservationEpsilonName).AsFloats()[0];
        x = ((x - mean) / (variance + epsilon).sqrt()).clamp(-clip, clip);
        for (int layer = 0; layer < snapshot.LayerCount; layer++)
        {
            TensorBlob w = snapshot.Get(PolicySnapshot.WeightName(layer));
            TensorBlob b = snapshot.Get(PolicySnapshot.BiasName(layer));
            x = nn.functional.linear(x, tensor(w.AsFloats().ToArray(), [w.Shape[0], w.Shape[1]]), tensor(b.AsFloats().ToArray()));
            if (layer < snapshot.LayerCount - 1)
            {
                x = nn.functional.relu(x);
            }
        }
        return x.data<float>().ToArray();
    }
}
