using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Learning.Tests;

// Proves the native stack (libtorch + the GLIBCXX-patched libLibTorchSharp) loads and trains on this host.
[Collection("Torch")]
public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void A_tiny_network_trains_one_step_and_its_loss_falls()
    {
        torch.random.manual_seed(7);
        using Sequential net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1));
        using Adam optimizer = optim.Adam(net.parameters(), lr: 0.05);
        using Tensor x = torch.randn(64, 4);
        using Tensor y = x.sum(1, keepdim: true);

        float LossNow()
        {
            using IDisposable _ = torch.no_grad();
            using Tensor p = net.call(x);
            using Tensor l = nn.functional.mse_loss(p, y);
            return l.item<float>();
        }

        float before = LossNow();
        optimizer.zero_grad();
        using (Tensor prediction = net.call(x))
        using (Tensor loss = nn.functional.mse_loss(prediction, y))
        {
            loss.backward();
        }
        optimizer.step();
        float after = LossNow();

        Assert.True(float.IsFinite(after));
        Assert.True(after < before, $"loss did not fall: {before} -> {after}");
    }
}
