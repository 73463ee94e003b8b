using System.Globalization;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Shape;

/// <summary>
/// Training across hand shapes: every simulation actor's hand is the shipped hand put on a MANO shape drawn from
/// β_k ~ N(0, σ²) independently for k = 0..9, each truncated to [−2σ, 2σ] by redrawing (MANO's shape coefficients
/// are in units of the population's standard deviation, so σ = 1 spans the scanned subjects). σ = 0 is off: every
/// actor simulates the shipped hand. β act through MANO's shape blend shapes and joint regressor
/// (<see cref="ManoShape"/>), so a spread needs the user's MANO file. The draw is a pure function of the seed.
/// </summary>
public sealed record ShapeSpread(double Sigma)
{
    /// <summary>Truncation of each β_k, in units of σ.</summary>
    public const double Truncation = 2.0;

    /// <summary>Largest σ accepted: beyond 3 the truncated range leaves what MANO's shape space was fitted on.</summary>
    public const double MaxSigma = 3.0;

    public static readonly ShapeSpread Off = new(0.0);

    public bool IsOn => Sigma > 0;

    /// <summary>The distribution in one line, for help texts, logs and reports.</summary>
    public string Distribution => IsOn
        ? string.Create(CultureInfo.InvariantCulture, $"beta_k ~ N(0, {Sigma:0.###}^2), k = 0..9, each truncated to +-{Truncation * Sigma:0.###}")
        : "off (every actor simulates the shipped hand)";

    public ShapeSpread Validate()
    {
        if (!double.IsFinite(Sigma) || Sigma < 0 || Sigma > MaxSigma)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--shape-spread is {Sigma}; give the standard deviation of MANO's beta in [0, {MaxSigma}] (0 = off)."));
        }
        return this;
    }

    /// <summary>The 10 shape coefficients for this seed (all 0 when off).</summary>
    public double[] DrawBetas(ulong seed)
    {
        Validate();
        double[] betas = new double[ManoModel.ShapeCount];
        if (!IsOn)
        {
            return betas;
        }
        var rng = new SplitMix(seed);
        for (int k = 0; k < betas.Length; k++)
        {
            double z;
            do
            {
                z = rng.NextGaussian();
            }
            while (Math.Abs(z) > Truncation);
            betas[k] = Sigma * z;
        }
        return betas;
    }

    /// <summary>The hand an actor with this seed simulates: the base hand when off, else the base hand on drawn β.</summary>
    public HandModel Hand(HandModel baseModel, ManoModel? mano, ulong seed) => Hand(baseModel, mano, seed, out _);

    public HandModel Hand(HandModel baseModel, ManoModel? mano, ulong seed, out double[] betas)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        betas = DrawBetas(seed);
        if (!IsOn)
        {
            return baseModel;
        }
        if (mano is null)
        {
            throw new ArgumentException(
                "--shape-spread needs --mano <MANO_RIGHT.pkl>: beta act through MANO's shape blend shapes and joint regressor, which are licensed and never shipped.");
        }
        return ManoShape.Apply(baseModel, mano, betas);
    }

    /// <summary>SplitMix64 and Box-Muller: reproducible on every platform (System.Random's algorithm is not a contract).</summary>
    private struct SplitMix(ulong state)
    {
        private ulong _state = state;

        private ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        private double NextUnit() => ((Next() >> 11) + 0.5) * (1.0 / (1UL << 53));

        public double NextGaussian() => Math.Sqrt(-2.0 * Math.Log(NextUnit())) * Math.Cos(2.0 * Math.PI * NextUnit());
    }
}
