using System.CommandLine;
using MsMano.Biomechanics.Shape;

namespace MsMano.Cli.Commands;

/// <summary>`--shape-spread σ` on every command that simulates for training (train, embedded, sim): one help text, one distribution.</summary>
public static class ShapeSpreadFlag
{
    public static Option<double> Create() => new("--shape-spread")
    {
        Description = "Train across hand shapes: each simulation actor's hand is put on MANO beta drawn as beta_k ~ N(0, sigma^2), "
            + $"k = 0..9, each truncated to +-{ShapeSpread.Truncation:0}sigma, seeded per actor; give sigma in [0, {ShapeSpread.MaxSigma:0}] (0 = off: the shipped hand). Needs --mano.",
        DefaultValueFactory = _ => 0.0,
    };

    public static Option<string?> Mano() => new("--mano")
    {
        Description = "MANO_RIGHT.pkl: the shape space of --shape-spread and the PCA basis of dexycb: motions.",
    };
}
