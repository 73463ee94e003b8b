using MsMano.Environments.Policy;
using MsMano.Evaluation.Baselines;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.Tests.Baselines;

public sealed class BaselineTests
{
    [Fact]
    public void Smoothing_is_the_window_mean_of_eq_11()
    {
        // One value per frame: window d = 4 takes 2 frames each side, truncated at the ends.
        double[] x = [0, 10, 20, 30, 40, 1000];
        double[] smoothed = new TemporalSmoothing(4).Smooth(x, 6, 1);
        Assert.Equal(10, smoothed[0], 12);            // (0+10+20)/3
        Assert.Equal(20, smoothed[2], 12);            // (0+10+20+30+40)/5
        Assert.Equal((20 + 30 + 40 + 1000) / 4.0, smoothed[4], 12);

        // Invalid frames neither contribute nor change; d = 0 is the identity.
        double[] masked = new TemporalSmoothing(4).Smooth(x, 6, 1, [true, true, true, true, true, false]);
        Assert.Equal((20 + 30 + 40) / 3.0, masked[4], 12);
        Assert.Equal(1000, masked[5]);
        Assert.Equal(x, new TemporalSmoothing(0).Smooth(x, 6, 1));
    }

    [Fact]
    public void Smoothing_reduces_jitter_on_synthetic_predictions()
    {
        PoseSequence gt = SyntheticMotion.Generate("g", 300, 30, seed: 1);
        PoseSequence pred = new BaseEstimatorErrorModel(new SyntheticErrorOptions { JitterStd = 0.08, DriftStd = 0, OcclusionRate = 0, TwistProbability = 0 }).Apply(gt);
        PoseSequence smoothed = new TemporalSmoothing(6).Smooth(pred);
        Assert.True(Rms(gt, smoothed) < 0.6 * Rms(gt, pred));
        Assert.True(smoothed.Synthetic);
    }

    [Fact]
    public void Pca_recovers_a_low_rank_pose_space_and_removes_off_subspace_noise()
    {
        // Training poses lie in a 3-D affine subspace of the 45 finger numbers.
        var rng = new Random(2);
        double[][] basis = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 45).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
        double[] offset = Enumerable.Range(0, 45).Select(_ => rng.NextDouble() * 0.2).ToArray();
        PoseSequence Sample(int frames, double noise)
        {
            float[] poses = new float[frames * 48];
            for (int f = 0; f < frames; f++)
            {
                double[] c = Enumerable.Range(0, 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
                poses[f * 48] = 0.7f;
                for (int k = 0; k < 45; k++)
                {
                    poses[(f * 48) + 3 + k] = (float)(offset[k] + (c[0] * basis[0][k]) + (c[1] * basis[1][k]) + (c[2] * basis[2][k]) + (noise * Gaussian(rng)));
                }
            }

            return new PoseSequence("s", poses, 30);
        }

        PoseSequence clean = Sample(400, 0);
        var pca = PosePca.Fit([clean], components: 3);
        Assert.Equal(3, pca.ComponentCount);
        Assert.True(pca.ExplainedVariance[2] > 1e-3);

        // A clean pose is reproduced exactly; a noisy one loses the off-subspace part of its noise.
        PoseSequence reprojected = pca.Project(clean);
        Assert.True(Rms(clean, reprojected) < 1e-5);
        PoseSequence truth = Sample(50, 0);
        PoseSequence noisy = truth with { Poses = truth.Poses.Select(v => v + (float)(0.05 * Gaussian(rng))).ToArray() };
        Assert.True(Rms(truth, pca.Project(noisy)) < 0.5 * Rms(truth, noisy));
        Assert.Equal(noisy.Poses[0], pca.Project(noisy).Poses[0]); // wrist passes through
    }

    private static double Rms(PoseSequence a, PoseSequence b) =>
        Math.Sqrt(a.Poses.Zip(b.Poses, (x, y) => (double)(x - y) * (x - y)).Average());

    private static double Gaussian(Random rng) => rng.NextGaussian();
}
