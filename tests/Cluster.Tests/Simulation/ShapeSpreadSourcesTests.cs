using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Cluster.Simulation;
using MsMano.Environments.IdNet;
using MsMano.Environments.Rollouts;
using MsMano.ModelFormats.Numpy;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Cluster.Tests.Simulation;

/// <summary>`--shape-spread`: each simulation actor's hand from its own β draw; off, every actor the shipped hand.</summary>
public sealed class ShapeSpreadSourcesTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _mano;

    public ShapeSpreadSourcesTests()
    {
        // Synthetic MANO (never real data) whose template joints are the shipped hand's rest joints.
        HandModel model = HandModelFile.LoadDefault();
        var fixture = new ManoFixture(11, model.Joints.Select(j => Vec3.From(j.Position)).ToArray());
        _mano = _dir.File("mano.npz");
        NpzWriter.Write(_mano, fixture.DenseArrays(), compressed: false);
    }

    private static SimSourceOptions Options(double spread, string? mano) =>
        new() { Motion = "synthetic:clips=2,seconds=1,seed=3", ShapeSpread = spread, ManoModelPath = mano };

    private static HandModel Hand(Func<int, Environments.Rollouts.IRolloutSource> factory, int actor) =>
        ((IdNetRolloutSource)factory(actor)).Environment.Batch.Plant.Model;

    [Fact]
    public void With_spread_on_two_actors_simulate_different_hands_and_a_rebuilt_node_the_same_ones()
    {
        Func<int, IRolloutSource> factory = SimSources.Factory(Options(1.0, _mano), agents: 2, nodeId: "sim-a");
        HandModel a = Hand(factory, 0), b = Hand(factory, 1);
        double[] lengthsA = a.Muscles.Select(m => m.LengthRange[1]).ToArray();
        double[] lengthsB = b.Muscles.Select(m => m.LengthRange[1]).ToArray();
        double jointGap = a.Joints.Zip(b.Joints, (x, y) => (Vec3.From(x.Position) - Vec3.From(y.Position)).Norm()).Max();
        Assert.True(jointGap > 1e-4, $"joint centres differ by at most {jointGap} m between the two actors");
        Assert.NotEqual(lengthsA, lengthsB);
        // The draw is seeded: another node process with the same id and seed builds the same hands.
        Func<int, IRolloutSource> again = SimSources.Factory(Options(1.0, _mano), agents: 2, nodeId: "sim-a");
        Assert.Equal(lengthsA, Hand(again, 0).Muscles.Select(m => m.LengthRange[1]).ToArray());
    }

    [Fact]
    public void With_spread_off_every_actor_simulates_the_shipped_hand()
    {
        Func<int, IRolloutSource> factory = SimSources.Factory(Options(0, _mano), agents: 2, nodeId: "sim-a");
        HandModel a = Hand(factory, 0), b = Hand(factory, 1);
        Assert.Same(a, b);
        HandModel shipped = HandModelFile.LoadDefault();
        Assert.Equal(shipped.Joints.Select(j => j.Position), a.Joints.Select(j => j.Position));
        Assert.Equal(shipped.Muscles.Select(m => m.LengthRange), a.Muscles.Select(m => m.LengthRange));
    }

    [Fact]
    public void A_spread_without_a_MANO_file_is_refused_in_one_line()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Options(1.0, null).Validate());
        Assert.Contains("--shape-spread needs --mano", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
