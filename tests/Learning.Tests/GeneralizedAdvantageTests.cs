using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

public sealed class GeneralizedAdvantageTests
{
    private const double Gamma = 0.9;
    private const double Lambda = 0.8;

    [Fact]
    public void Matches_hand_computed_values_with_bootstrap_termination_and_truncation()
    {
        // T = 3 steps, N = 2 agents, index = t·N + i.
        // Agent 0: no episode end → bootstraps from nextValues[0] = 10 after the last step.
        // Agent 1: terminated at t = 0 (no bootstrap), truncated at t = 2 (bootstraps from final value 7, not next value 20).
        float[] rewards = [1, 2, 3, 4, 5, 6];
        bool[] terminated = [false, true, false, false, false, false];
        bool[] truncated = [false, false, false, false, false, true];
        float[] values = [0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f];
        float[] nextValues = [10, 20];
        float[] finalValues = [0, 0, 0, 0, 0, 7];
        float[] advantages = new float[6];
        float[] returns = new float[6];

        GeneralizedAdvantage.Compute(3, 2, Gamma, Lambda, rewards, terminated, truncated, values, nextValues, finalValues, advantages, returns);

        // Agent 0, hand-computed backwards.
        double d2 = 5 + Gamma * 10 - 4.5;      // 9.5
        double d1 = 3 + Gamma * 4.5 - 2.5;     // 4.55
        double d0 = 1 + Gamma * 2.5 - 0.5;     // 2.75
        double a2 = d2;
        double a1 = d1 + Gamma * Lambda * a2;
        double a0 = d0 + Gamma * Lambda * a1;
        // Agent 1.
        double b2 = 6 + Gamma * 7 - 5.5;       // truncated: final value, chain cut
        double b1 = 4 + Gamma * 5.5 - 3.5 + Gamma * Lambda * b2;
        double b0 = 2 - 1.5;                   // terminated: no bootstrap, nothing carried from t = 1

        double[] expected = [a0, b0, a1, b1, a2, b2];
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal(expected[k], advantages[k], 4);
            Assert.Equal(expected[k] + values[k], returns[k], 4);
        }
    }

    [Fact]
    public void Lambda_one_and_gamma_one_give_monte_carlo_returns()
    {
        float[] rewards = [1, 1, 1, 1];
        bool[] none = new bool[4];
        bool[] end = [false, false, false, true];
        float[] values = [0.3f, -2, 5, 0.1f];
        float[] advantages = new float[4];
        float[] returns = new float[4];
        GeneralizedAdvantage.Compute(4, 1, 1.0, 1.0, rewards, end, none, values, [99f], new float[4], advantages, returns);
        Assert.Equal([4f, 3f, 2f, 1f], returns);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => GeneralizedAdvantage.Compute(
            2, 2, Gamma, Lambda, new float[3], new bool[4], new bool[4], new float[4], new float[2], new float[4], new float[4], new float[4]));
        Assert.Contains("4", ex.Message);
    }
}
