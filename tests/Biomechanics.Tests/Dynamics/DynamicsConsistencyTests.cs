using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Tests.Dynamics;

/// <summary>Checks the kernel's pieces against independent definitions: KE = 1/2 qd' M qd and h(qd = 0) = dPE/dq.</summary>
public sealed class DynamicsConsistencyTests
{
    private static (HandPlant Plant, StepKernel<Lane1>.Workspace W, float[] Q, float[] Qd) Random(int seed, double skew)
    {
        var plant = new HandPlant(TestModels.Chain([0, 0, -9.81], armature: 0, skewDegrees: skew));
        var w = new StepKernel<Lane1>.Workspace(plant);
        var rng = new Random(seed);
        float[] q = Enumerable.Range(0, plant.DofCount).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] qd = Enumerable.Range(0, plant.DofCount).Select(_ => (float)(2 * (rng.NextDouble() - 0.5))).ToArray();
        return (plant, w, q, qd);
    }

    private static void Load(HandPlant plant, StepKernel<Lane1>.Workspace w, float[] q, float[] qd)
    {
        for (int d = 0; d < plant.DofCount; d++)
        {
            w.Q[d] = new Lane1(q[d]);
            w.Qd[d] = new Lane1(qd[d]);
        }
        StepKernel<Lane1>.ForwardKinematics(plant, w);
        StepKernel<Lane1>.BiasForces(plant, w);
        StepKernel<Lane1>.CompositeInertia(plant, w);
        StepKernel<Lane1>.MassMatrix(plant, w);
    }

    private static double M(StepKernel<Lane1>.Workspace w, int r, int c) =>
        r >= c ? w.Block[r * 9 + c].V : w.Block[c * 9 + r].V;

    private static (double K, double P) Energy(HandPlant plant, float[] q, float[] qd)
    {
        var batch = new HandBatch(plant, 1, width: LaneWidth.Scalar);
        batch.SetState(0, q, qd);
        return batch.Energy(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Mass_matrix_reproduces_the_kinetic_energy_of_the_bodies(double skew)
    {
        for (int seed = 0; seed < 5; seed++)
        {
            (HandPlant plant, StepKernel<Lane1>.Workspace w, float[] q, float[] qd) = Random(seed, skew);
            Load(plant, w, q, qd);
            double quad = 0;
            for (int r = 0; r < 9; r++)
            {
                for (int c = 0; c < 9; c++)
                {
                    quad += qd[r] * M(w, r, c) * qd[c];
                }
            }
            (double k, _) = Energy(plant, q, qd);
            Assert.True(Math.Abs(0.5 * quad - k) <= 1e-3 * k, $"seed {seed}: 1/2 qd'Mqd = {0.5 * quad}, KE = {k}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Bias_at_rest_is_the_gradient_of_the_gravitational_potential(double skew)
    {
        (HandPlant plant, StepKernel<Lane1>.Workspace w, float[] q, _) = Random(3, skew);
        float[] zero = new float[plant.DofCount];
        Load(plant, w, q, zero);
        for (int d = 0; d < plant.DofCount; d++)
        {
            const float h = 1e-3f;
            float[] qp = (float[])q.Clone();
            float[] qm = (float[])q.Clone();
            qp[d] += h;
            qm[d] -= h;
            double grad = (Energy(plant, qp, zero).P - Energy(plant, qm, zero).P) / (2 * h);
            double bias = w.Bias[d].V;
            Assert.True(Math.Abs(bias - grad) <= 2e-3 * Math.Max(1e-3, Math.Abs(grad)) + 2e-6, $"dof {d}: bias {bias}, dPE/dq {grad}");
        }
    }
}

public sealed class CoriolisTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Velocity_bias_matches_the_christoffel_symbols_of_the_mass_matrix(double skew)
    {
        var plant = new HandPlant(TestModels.Chain([0, 0, 0], armature: 0, skewDegrees: skew));
        var w = new StepKernel<Lane1>.Workspace(plant);
        var rng = new Random(9);
        int n = plant.DofCount;
        float[] q = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] qd = Enumerable.Range(0, n).Select(_ => (float)(2 * (rng.NextDouble() - 0.5))).ToArray();

        double[,] MassAt(float[] qq)
        {
            for (int d = 0; d < n; d++)
            {
                w.Q[d] = new Lane1(qq[d]);
                w.Qd[d] = new Lane1(0);
            }
            StepKernel<Lane1>.ForwardKinematics(plant, w);
            StepKernel<Lane1>.BiasForces(plant, w);
            StepKernel<Lane1>.CompositeInertia(plant, w);
            StepKernel<Lane1>.MassMatrix(plant, w);
            double[,] m = new double[n, n];
            for (int r = 0; r < n; r++)
            {
                for (int c = 0; c < n; c++)
                {
                    m[r, c] = r >= c ? w.Block[r * 9 + c].V : w.Block[c * 9 + r].V;
                }
            }
            return m;
        }

        double[][,] dM = new double[n][,];
        for (int k = 0; k < n; k++)
        {
            const float h = 1e-3f;
            float[] qp = (float[])q.Clone();
            float[] qm = (float[])q.Clone();
            qp[k] += h;
            qm[k] -= h;
            double[,] mp = MassAt(qp);
            double[,] mm = MassAt(qm);
            dM[k] = new double[n, n];
            for (int r = 0; r < n; r++)
            {
                for (int c = 0; c < n; c++)
                {
                    dM[k][r, c] = (mp[r, c] - mm[r, c]) / (2 * h);
                }
            }
        }
        for (int d = 0; d < n; d++)
        {
            w.Q[d] = new Lane1(q[d]);
            w.Qd[d] = new Lane1(qd[d]);
        }
        StepKernel<Lane1>.ForwardKinematics(plant, w);
        StepKernel<Lane1>.BiasForces(plant, w);
        for (int i = 0; i < n; i++)
        {
            double c = 0;
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    c += (dM[k][i, j] - 0.5 * dM[i][j, k]) * qd[j] * qd[k];
                }
            }
            Assert.True(Math.Abs(w.Bias[i].V - c) <= 2e-3 * Math.Abs(c) + 1e-7, $"dof {i}: bias {w.Bias[i].V}, christoffel {c}");
        }
    }
}

public sealed class LdltTests
{
    [Fact]
    public void Ldlt_solves_a_random_spd_system()
    {
        var rng = new Random(5);
        const int n = 9;
        double[,] b = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                b[i, j] = rng.NextDouble() - 0.5;
            }
        }
        double[,] a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < n; k++)
                {
                    s += b[i, k] * b[j, k];
                }
                a[i, j] = s;
            }
        }
        var block = new Lane1[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                block[i * n + j] = new Lane1((float)a[i, j]);
            }
        }
        double[] rhs = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        Lane1[] x = rhs.Select(v => new Lane1((float)v)).ToArray();
        StepKernel<Lane1>.SolveLdlt(block, x, n);
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                s += a[i, j] * x[j].V;
            }
            Assert.True(Math.Abs(s - rhs[i]) < 1e-4, $"row {i}: {s} vs {rhs[i]}");
        }
    }
}
