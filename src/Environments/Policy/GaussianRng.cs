namespace MsMano.Environments.Policy;

/// <summary>
/// Small, allocation-free, seedable source of standard normal samples for exploration noise: SplitMix64 uniforms
/// turned into normals by Box–Muller (the second value of each pair is kept for the next call). A value type so each
/// simulation actor owns its stream and passes it by ref.
/// </summary>
public struct GaussianRng
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public GaussianRng(ulong seed)
    {
        _state = seed;
        _spare = 0;
        _hasSpare = false;
    }

    /// <summary>Uniform in (0, 1], 53 random bits.</summary>
    public double NextUniform()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 11) + 1) * (1.0 / (1UL << 53));
    }

    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        (double first, _spare) = BoxMuller(NextUniform(), NextUniform());
        _hasSpare = true;
        return first;
    }

    /// <summary>The project's one Box–Muller transform: two independent standard normals from u1 in (0, 1] and u2 in [0, 1).</summary>
    public static (double Cos, double Sin) BoxMuller(double u1, double u2)
    {
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        return (radius * Math.Cos(angle), radius * Math.Sin(angle));
    }
}

/// <summary>Standard normals from a <see cref="Random"/> stream, for code seeded with one (data synthesis, tests).</summary>
public static class RandomGaussianExtensions
{
    /// <summary>One standard normal; 1 − U keeps the logarithm finite. Uses two uniforms and discards the pair's second value.</summary>
    public static double NextGaussian(this Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double u1 = 1.0 - rng.NextDouble();
        return GaussianRng.BoxMuller(u1, rng.NextDouble()).Cos;
    }
}
