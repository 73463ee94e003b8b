using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Shape;

namespace MsMano.Biomechanics.Tests.Shape;

public sealed class ShapeSpreadTests
{
    [Fact]
    public void Draws_follow_the_stated_truncated_normal()
    {
        var spread = new ShapeSpread(1.5);
        var all = new List<double>();
        for (ulong seed = 0; seed < 2000; seed++)
        {
            double[] betas = spread.DrawBetas(seed);
            Assert.Equal(10, betas.Length);
            Assert.All(betas, b => Assert.InRange(b, -3.0, 3.0));
            all.AddRange(betas);
        }
        double mean = all.Average();
        double sd = Math.Sqrt(all.Sum(b => (b - mean) * (b - mean)) / all.Count);
        // N(0, 1) truncated at +-2 has sd 0.8796; scaled by sigma = 1.5: 1.319.
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(sd, 1.319 - 0.02, 1.319 + 0.02);
        Assert.Equal(spread.DrawBetas(42), spread.DrawBetas(42));
        Assert.NotEqual(spread.DrawBetas(42), spread.DrawBetas(43));
    }

    [Fact]
    public void Off_is_the_shipped_hand_and_on_needs_a_MANO_file()
    {
        HandModel model = HandModelFile.LoadDefault();
        Assert.Same(model, ShapeSpread.Off.Hand(model, null, 7));
        Assert.All(ShapeSpread.Off.DrawBetas(7), b => Assert.Equal(0.0, b));
        ArgumentException e = Assert.Throws<ArgumentException>(() => new ShapeSpread(1).Hand(model, null, 7));
        Assert.Contains("--shape-spread needs --mano", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ShapeSpread(double.NaN).Validate());
        Assert.Throws<ArgumentException>(() => new ShapeSpread(-0.5).Validate());
        Assert.Throws<ArgumentException>(() => new ShapeSpread(4).Validate());
    }
}
