using MsMano.Evaluation.Refine;
using MsMano.Evaluation.Tests.Datasets;
using MsMano.TestSupport;
using TorchSharp;

namespace MsMano.Evaluation.Tests.Refine;

[Collection("Torch")]
public sealed class RefineNetInferenceTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Pure_CSharp_forward_matches_torch_and_survives_save_load(bool residual, bool gain)
    {
        torch.random.manual_seed(5);
        using var net = new RefineNet(64, residual: residual, referenceGain: gain);
        if (gain)
        {
            // A trained-looking gain (it starts at zero, which would hide a wrong wiring).
            using IDisposable noGrad = torch.no_grad();
            float[] values = Enumerable.Range(0, 48).Select(k => 0.02f * k).ToArray();
            net.TrainableParameters().Last().copy_(torch.tensor(values));
        }

        var rng = new Random(3);
        float[] predicted = Enumerable.Range(0, 5 * 48).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] reference = Enumerable.Range(0, 5 * 48).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] expected = net.Refine(predicted, reference);
        RefineNetInference inference = net.ToInference();
        Assert.Equal(residual, inference.Residual);
        float[] refined = new float[48];
        for (int f = 0; f < 5; f++)
        {
            inference.Refine(predicted.AsSpan(f * 48, 48), reference.AsSpan(f * 48, 48), refined);
            Assert.All(Enumerable.Range(0, 48), k => Assert.Equal(expected[(f * 48) + k], refined[k], 4));
            // A 45-number reference (wrist already dropped) is the same MLP input; with the gain its wrist has no pull.
            inference.Refine(predicted.AsSpan(f * 48, 48), reference.AsSpan((f * 48) + 3, 45), refined);
            Assert.Equal(expected[(f * 48) + 10], refined[10], 4);
            if (gain)
            {
                float withoutPull = expected[(f * 48) + 1] - (0.02f * (reference[(f * 48) + 1] - predicted[(f * 48) + 1]));
                Assert.Equal(withoutPull, refined[1], 4);
            }
        }

        using var dir = new TempDir();
        string path = dir.File("refine.bin");
        net.Save(path);
        using var loaded = RefineNet.Load(path);
        Assert.Equal(residual, loaded.Residual);
        Assert.Equal(gain, loaded.ReferenceGain);
        float[] again = loaded.Refine(predicted, reference);
        Assert.All(Enumerable.Range(0, expected.Length), k => Assert.Equal(expected[k], again[k], 5));
        Assert.Throws<ArgumentException>(() => inference.Refine(predicted.AsSpan(0, 47), reference.AsSpan(0, 48), refined));
    }
}
