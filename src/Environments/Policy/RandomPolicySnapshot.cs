using MsMano.Contracts.Policy;

namespace MsMano.Environments.Policy;

/// <summary>
/// A well-formed snapshot with seeded random weights (He-scaled), a non-trivial normaliser and log-std: for
/// benchmarks and tests, and for starting a simulation node before the learner has published version 1.
/// </summary>
public static class RandomPolicySnapshot
{
    public static PolicySnapshot Create(int observationSize = 192, int[]? hidden = null, int actionSize = 31, int seed = 1, long version = 0)
    {
        hidden ??= [256, 256];
        var rng = new Random(seed);
        var tensors = new List<TensorBlob>
        {
            TensorBlob.FromFloats(PolicySnapshot.ObservationMeanName, [observationSize], Uniform(rng, observationSize, -0.5, 0.5)),
            TensorBlob.FromFloats(PolicySnapshot.ObservationVarianceName, [observationSize], Uniform(rng, observationSize, 0.2, 3.0)),
            TensorBlob.FromFloats(PolicySnapshot.ObservationClipName, [1], [10f]),
            TensorBlob.FromFloats(PolicySnapshot.ObservationEpsilonName, [1], [1e-8f]),
            TensorBlob.FromFloats(PolicySnapshot.LogStdName, [actionSize], Uniform(rng, actionSize, -1.0, 0.0)),
        };
        int input = observationSize;
        for (int layer = 0; layer <= hidden.Length; layer++)
        {
            int output = layer == hidden.Length ? actionSize : hidden[layer];
            double scale = Math.Sqrt(6.0 / input);
            tensors.Add(TensorBlob.FromFloats(PolicySnapshot.WeightName(layer), [output, input], Uniform(rng, output * input, -scale, scale)));
            tensors.Add(TensorBlob.FromFloats(PolicySnapshot.BiasName(layer), [output], Uniform(rng, output, -0.1, 0.1)));
            input = output;
        }
        return new PolicySnapshot(version, observationSize, actionSize, hidden, tensors.ToArray());
    }

    private static float[] Uniform(Random rng, int count, double low, double high)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(low + (high - low) * rng.NextDouble());
        }
        return values;
    }
}
