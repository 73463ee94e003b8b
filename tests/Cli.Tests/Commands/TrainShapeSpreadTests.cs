using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Shape;
using MsMano.Cli.Commands;
using MsMano.ModelFormats.Numpy;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Cli.Tests.Commands;

/// <summary>`train --shape-spread`: each simulation batch its own hand from the stated β distribution; off, the shipped hand.</summary>
public sealed class TrainShapeSpreadTests
{
    [Fact]
    public void Two_batches_get_different_hands_with_spread_on_and_none_of_their_own_with_it_off()
    {
        using var dir = new TempDir();
        HandModel model = HandModelFile.LoadDefault();
        string mano = dir.File("mano.npz");
        NpzWriter.Write(mano, new ManoFixture(12, model.Joints.Select(j => Vec3.From(j.Position)).ToArray()).DenseArrays(), compressed: false);

        Func<int, HandPlant> plants = TrainCommand.ShapePlants(new ShapeSpread(1.0), model, mano, seed: 1)!;
        double[] a = plants(0).Model.Muscles.Select(m => m.LengthRange[0]).ToArray();
        double[] b = plants(1).Model.Muscles.Select(m => m.LengthRange[0]).ToArray();
        Assert.NotEqual(a, b);
        Assert.Equal(a, plants(0).Model.Muscles.Select(m => m.LengthRange[0]).ToArray());

        Assert.Null(TrainCommand.ShapePlants(ShapeSpread.Off, model, mano, seed: 1));
        ArgumentException e = Assert.Throws<ArgumentException>(() => TrainCommand.ShapePlants(new ShapeSpread(1.0), model, null, seed: 1));
        Assert.Contains("--shape-spread needs --mano", e.Message, StringComparison.Ordinal);
    }
}
