using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Baselines;

/// <summary>
/// The paper's PCA baseline: a linear pose prior fitted on training poses; predictions are projected onto its
/// first k components, p' = μ + V_k V_kᵀ (p − μ). By default only the 45 finger numbers are modelled (like
/// MANO's own hands_components) and the wrist's global rotation passes through unchanged.
/// </summary>
public sealed class PosePca
{
    private readonly double[] _mean;
    private readonly double[,] _components; // [Dimension, k], orthonormal columns

    private PosePca(int offset, double[] mean, double[,] components, double[] explained)
    {
        Offset = offset;
        _mean = mean;
        _components = components;
        ExplainedVariance = explained;
    }

    /// <summary>First pose number modelled (3 when the wrist is excluded).</summary>
    public int Offset { get; }

    public int Dimension => _mean.Length;

    public int ComponentCount => _components.GetLength(1);

    /// <summary>Variance along each kept component, descending.</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    public static PosePca Fit(IEnumerable<PoseSequence> training, int components, bool includeWrist = false)
    {
        int offset = includeWrist ? 0 : 3;
        int dim = ManoJoints.PoseSize - offset;
        if (components < 1 || components > dim)
        {
            throw new ArgumentOutOfRangeException(nameof(components), components, $"Need 1..{dim} components.");
        }

        double[] mean = new double[dim];
        long count = 0;
        foreach (PoseSequence s in training)
        {
            for (int f = 0; f < s.Frames; f++)
            {
                Span<float> frame = s.Frame(f);
                for (int k = 0; k < dim; k++)
                {
                    mean[k] += frame[offset + k];
                }

                count++;
            }
        }

        if (count < 2)
        {
            throw new ArgumentException($"PCA needs at least 2 training frames, got {count}.", nameof(training));
        }

        for (int k = 0; k < dim; k++)
        {
            mean[k] /= count;
        }

        double[,] covariance = new double[dim, dim];
        double[] centred = new double[dim];
        foreach (PoseSequence s in training)
        {
            for (int f = 0; f < s.Frames; f++)
            {
                Span<float> frame = s.Frame(f);
                for (int k = 0; k < dim; k++)
                {
                    centred[k] = frame[offset + k] - mean[k];
                }

                for (int r = 0; r < dim; r++)
                {
                    for (int c = r; c < dim; c++)
                    {
                        covariance[r, c] += centred[r] * centred[c];
                    }
                }
            }
        }

        for (int r = 0; r < dim; r++)
        {
            for (int c = r; c < dim; c++)
            {
                covariance[r, c] /= count - 1;
                covariance[c, r] = covariance[r, c];
            }
        }

        // MathNet returns a symmetric matrix's eigenvalues ascending; the components are the largest first.
        Evd<double> evd = Matrix<double>.Build.DenseOfArray(covariance).Evd(Symmetricity.Symmetric);
        double[,] kept = new double[dim, components];
        double[] explained = new double[components];
        for (int c = 0; c < components; c++)
        {
            int source = dim - 1 - c;
            explained[c] = evd.EigenValues[source].Real;
            for (int r = 0; r < dim; r++)
            {
                kept[r, c] = evd.EigenVectors[r, source];
            }
        }

        return new PosePca(offset, mean, kept, explained);
    }

    /// <summary>Projects one 48-number pose in place onto the fitted subspace.</summary>
    public void Project(Span<float> pose)
    {
        int dim = Dimension;
        int k = ComponentCount;
        double[] coefficients = new double[k];
        for (int c = 0; c < k; c++)
        {
            for (int r = 0; r < dim; r++)
            {
                coefficients[c] += _components[r, c] * (pose[Offset + r] - _mean[r]);
            }
        }

        for (int r = 0; r < dim; r++)
        {
            double value = _mean[r];
            for (int c = 0; c < k; c++)
            {
                value += _components[r, c] * coefficients[c];
            }

            pose[Offset + r] = (float)value;
        }
    }

    public PoseSequence Project(PoseSequence sequence)
    {
        float[] poses = (float[])sequence.Poses.Clone();
        for (int f = 0; f < sequence.Frames; f++)
        {
            Project(poses.AsSpan(f * ManoJoints.PoseSize, ManoJoints.PoseSize));
        }

        return sequence with { Poses = poses, Name = sequence.Name + $" [PCA {ComponentCount}]" };
    }
}
