using MsMano.Learning.Networks;

namespace MsMano.Learning.Tests;

public sealed class RunningNormalizerTests
{
    [Fact]
    public void Merging_batches_equals_statistics_of_the_whole_data()
    {
        var rng = new Random(2);
        const int size = 5;
        float[] all = new float[1000 * size];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = (float)(rng.NextDouble() * 10 - 3 + (i % size));
        }

        var merged = new RunningNormalizer(size);
        merged.Update(all.AsSpan(0, 17 * size));
        merged.Update(all.AsSpan(17 * size, 400 * size));
        merged.Update(all.AsSpan(417 * size, 1 * size));
        merged.Update(all.AsSpan(418 * size));

        var whole = new RunningNormalizer(size);
        whole.Update(all);

        Assert.Equal(1000, merged.Count);
        for (int j = 0; j < size; j++)
        {
            double mean = 0;
            for (int r = 0; r < 1000; r++)
            {
                mean += all[r * size + j];
            }
            mean /= 1000;
            double variance = 0;
            for (int r = 0; r < 1000; r++)
            {
                variance += (all[r * size + j] - mean) * (all[r * size + j] - mean);
            }
            variance /= 1000;
            Assert.Equal(mean, merged.Mean[j], 9);
            Assert.Equal(variance, merged.Variance[j], 9);
            Assert.Equal(whole.Mean[j], merged.Mean[j], 9);
            Assert.Equal(whole.Variance[j], merged.Variance[j], 9);
        }
    }

    [Fact]
    public void Normalize_centres_scales_and_clips()
    {
        var normalizer = new RunningNormalizer(2, clip: 3.0, epsilon: 1e-8);
        normalizer.Update([1f, 10f, 3f, 10f]);   // feature 0: mean 2, var 1; feature 1: mean 10, var 0
        float[] row = [4f, 10.5f];
        normalizer.Normalize(row);
        Assert.Equal(2.0f, row[0], 4);
        Assert.Equal(3.0f, row[1]);              // 0.5 / 1e-4 = 5000, clipped to 3
    }

    [Fact]
    public void Fresh_normalizer_is_the_identity_and_serialises_round_trip()
    {
        var normalizer = new RunningNormalizer(3);
        float[] row = [0.5f, -2f, 7f];
        normalizer.Normalize(row);
        Assert.Equal([0.5f, -2f, 7f], row);

        normalizer.Update([1f, 2f, 3f, 5f, 1f, 0f]);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            normalizer.Write(writer);
        }
        buffer.Position = 0;
        var copy = RunningNormalizer.Read(new BinaryReader(buffer));
        Assert.Equal(normalizer.Count, copy.Count);
        Assert.Equal(normalizer.Mean.ToArray(), copy.Mean.ToArray());
        Assert.Equal(normalizer.Variance.ToArray(), copy.Variance.ToArray());
    }

    [Fact]
    public void Ragged_batch_is_rejected()
    {
        var normalizer = new RunningNormalizer(3);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => normalizer.Update(new float[7]));
        Assert.Contains("7", ex.Message);
    }
}
