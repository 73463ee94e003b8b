using MsMano.Evaluation.Refine;
using MsMano.Evaluation.Tests.Datasets;
using MsMano.ModelFormats;
using MsMano.TestSupport;
using TorchSharp;

namespace MsMano.Evaluation.Tests.Refine;

[Collection("Torch")]
public sealed class RefineNetTests
{
    [Fact]
    public void Has_the_paper_shape()
    {
        using var net = new RefineNet(64);
        Assert.Equal(93, RefineNet.InputSize);
        Assert.Equal((93 * 64) + 64 + (64 * 48) + 48, net.ParameterCount);
    }

    [Fact]
    public void Learns_a_synthetic_refinement_and_survives_save_load()
    {
        torch.set_num_threads(2);
        // Ground truth = a fixed blend of prediction and reference plus a mild nonlinearity: learnable by the MLP.
        var rng = new Random(12);
        const int frames = 2000;
        float[] predicted = new float[frames * 48];
        float[] reference = new float[frames * 48];
        float[] truth = new float[frames * 48];
        for (int i = 0; i < predicted.Length; i++)
        {
            predicted[i] = (float)(rng.NextDouble() - 0.5);
            reference[i] = (float)(rng.NextDouble() - 0.5);
        }

        for (int f = 0; f < frames; f++)
        {
            for (int k = 0; k < 48; k++)
            {
                float p = predicted[(f * 48) + k];
                float r = k < 3 ? p : reference[(f * 48) + k];
                truth[(f * 48) + k] = (0.6f * p) + (0.4f * r) + (0.2f * MathF.Max(0, p));
            }
        }

        var options = new RefineNetOptions { Iterations = 300, BatchSize = 512, LearningRate = 1e-2, Device = "cpu", LogEvery = 50, Seed = 3 };
        (RefineNet net, IReadOnlyList<RefineTrainingPoint> history) = RefineNetTrainer.Train(predicted, reference, truth, options);
        using (net)
        {
            Assert.Equal(1, history[0].Iteration);
            Assert.Equal(300, history[^1].Iteration);
            Assert.True(history[^1].Loss < 0.2 * history[0].Loss, $"loss {history[0].Loss} -> {history[^1].Loss}");

            // Refinement beats the raw prediction on held-out style data (same distribution, the first 100 frames).
            float[] refined = net.Refine(predicted.AsSpan(0, 4800), reference.AsSpan(0, 4800));
            Assert.True(Rmse(refined, truth.AsSpan(0, 4800)) < 0.5 * Rmse(predicted.AsSpan(0, 4800), truth.AsSpan(0, 4800)));

            using var dir = new TempDir();
            string path = dir.File("refine.bin");
            net.Save(path);
            using var loaded = RefineNet.Load(path);
            Assert.Equal(refined, loaded.Refine(predicted.AsSpan(0, 4800), reference.AsSpan(0, 4800)));

            // A 45-number reference (no wrist) gives the MLP the same inputs as the 48-number one; only the wrist's
            // reference pull is missing, so the fingers agree.
            float[] reference45 = Enumerable.Range(0, 100).SelectMany(f => reference.Skip((f * 48) + 3).Take(45)).ToArray();
            float[] refined45 = net.Refine(predicted.AsSpan(0, 4800), reference45);
            Assert.All(Enumerable.Range(0, 4800).Where(i => i % 48 >= 3), i => Assert.Equal(refined[i], refined45[i]));

            File.WriteAllBytes(path, [1, 2, 3]);
            Assert.Contains(path, Assert.Throws<DataFormatException>(() => RefineNet.Load(path)).Message);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_reference_gain_passes_a_better_reference_through_wrist_included(bool gain)
    {
        torch.set_num_threads(2);
        // The reference is the truth plus small noise and the prediction is the truth plus large noise, on all 48
        // numbers: the best refinement follows the reference, wrist included. With the gain that is one learned number
        // per dof; without it the 64 ReLU units must carry 48 differences and the wrist reference is not even an input.
        var rng = new Random(21);
        const int frames = 3000;
        float[] truth = new float[frames * 48];
        float[] predicted = new float[frames * 48];
        float[] reference = new float[frames * 48];
        for (int i = 0; i < truth.Length; i++)
        {
            truth[i] = (float)(rng.NextDouble() - 0.5);
            predicted[i] = truth[i] + (float)(0.3 * (rng.NextDouble() - 0.5));
            reference[i] = truth[i] + (float)(0.03 * (rng.NextDouble() - 0.5));
        }

        var options = new RefineNetOptions { Iterations = 400, BatchSize = 512, LearningRate = 1e-2, Device = "cpu", LogEvery = 100, Seed = 4, ReferenceGain = gain };
        (RefineNet net, _) = RefineNetTrainer.Train(predicted, reference, truth, options);
        using (net)
        {
            Assert.Equal(gain, net.ReferenceGain);
            float[] refined = net.Refine(predicted, reference);
            double before = Rmse(predicted, truth);
            double after = Rmse(refined, truth);
            double wristAfter = Rmse(Wrists(refined), Wrists(truth));
            double wristBefore = Rmse(Wrists(predicted), Wrists(truth));
            if (gain)
            {
                Assert.True(after < 0.25 * before, $"with the gain: RMSE {before:F4} -> {after:F4}");
                Assert.True(wristAfter < 0.25 * wristBefore, $"with the gain: wrist RMSE {wristBefore:F4} -> {wristAfter:F4}");
            }
            else
            {
                Assert.True(wristAfter > 0.8 * wristBefore, $"without the gain the wrist reference is unused: {wristBefore:F4} -> {wristAfter:F4}");
            }
        }

        static float[] Wrists(float[] poses) => Enumerable.Range(0, poses.Length).Where(i => i % 48 < 3).Select(i => poses[i]).ToArray();
    }

    [Fact]
    public void Rejects_mismatched_inputs_and_bad_options()
    {
        Assert.Throws<ArgumentException>(() => RefineNet.BuildInputs(new float[48], new float[40], out _));
        Assert.Throws<ArgumentException>(() => new RefineNet(64, residual: false, referenceGain: true));
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new RefineNetOptions { BatchSize = 0 }.Validate());
        Assert.Contains("BatchSize", error.Message);
    }

    private static double Rmse(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return Math.Sqrt(sum / a.Length);
    }
}
