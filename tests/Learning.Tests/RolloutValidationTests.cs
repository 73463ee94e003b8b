using MsMano.Contracts.Policy;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

[Collection("Torch")]
public sealed class RolloutValidationTests
{
    private static RolloutSegment Segment(int steps = 2, int agents = 3, int obs = 2, int act = 1) => new()
    {
        Steps = steps,
        Agents = agents,
        PolicyVersion = 4,
        Observations = new float[steps * agents * obs],
        Actions = new float[steps * agents * act],
        LogProbs = new float[steps * agents],
        Rewards = new float[steps * agents],
        Terminated = new bool[steps * agents],
        Truncated = new bool[steps * agents],
        NextObservations = new float[agents * obs],
    };

    [Theory]
    [InlineData("Observations", float.NaN)]
    [InlineData("Actions", float.PositiveInfinity)]
    [InlineData("LogProbs", float.NegativeInfinity)]
    [InlineData("Rewards", float.NaN)]
    [InlineData("NextObservations", float.NaN)]
    public void Non_finite_values_are_rejected_naming_field_and_index(string field, float bad)
    {
        RolloutSegment segment = Segment();
        ReadOnlyMemory<float> array = field switch
        {
            "Observations" => segment.Observations,
            "Actions" => segment.Actions,
            "LogProbs" => segment.LogProbs,
            "Rewards" => segment.Rewards,
            _ => segment.NextObservations,
        };
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(array).Span[1] = bad;

        ArgumentException ex = Assert.Throws<ArgumentException>(() => segment.Validate(2, 1));
        Assert.Contains($"RolloutSegment.{field}[1]", ex.Message);
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Wrong_lengths_are_rejected()
    {
        RolloutSegment segment = Segment();
        ArgumentException ex = Assert.Throws<ArgumentException>(() => segment.Validate(observationSize: 3, actionSize: 1));
        Assert.Contains("Observations", ex.Message);
        Assert.Contains("18", ex.Message);
    }

    [Fact]
    public void Truncation_without_final_observations_is_rejected()
    {
        bool[] truncated = new bool[6];
        truncated[4] = true;
        var segment = new RolloutSegment
        {
            Steps = 2, Agents = 3, PolicyVersion = 0, Observations = new float[12], Actions = new float[6],
            LogProbs = new float[6], Rewards = new float[6], Terminated = new bool[6], Truncated = truncated,
            NextObservations = new float[6],
        };
        ArgumentException ex = Assert.Throws<ArgumentException>(() => segment.Validate(2, 1));
        Assert.Contains("Truncated[4]", ex.Message);
        Assert.Contains("FinalObservations", ex.Message);
    }

    [Fact]
    public void The_learner_rejects_a_poisoned_batch_before_touching_any_state()
    {
        using var learner = new PpoLearner(TargetMatchingBandit.Config(seed: 1));
        RolloutSegment good = Segment();
        RolloutSegment bad = Segment();
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(bad.Rewards).Span[5] = float.NaN;
        PolicySnapshot before = learner.ExportPolicy();

        ArgumentException ex = Assert.Throws<ArgumentException>(() => learner.Update([good, bad]));
        Assert.Contains("Rewards[5]", ex.Message);
        Assert.Equal(0, learner.Normalizer.Count);
        Assert.Equal(0, learner.PolicyVersion);
        PolicySnapshot after = learner.ExportPolicy();
        for (int i = 0; i < before.Tensors.Length; i++)
        {
            Assert.Equal(before.Tensors[i].Data, after.Tensors[i].Data);
        }
    }

    [Fact]
    public void A_truncated_step_bootstraps_from_its_final_observation()
    {
        // Same data twice; only the final observation of the truncated step differs, so only its advantage (and
        // through it the update) may differ. Proves FinalObservations is read and used.
        PpoConfig config = TargetMatchingBandit.Config(seed: 2) with { Gamma = 0.99 };
        RolloutSegment Make(float finalValue)
        {
            bool[] truncated = new bool[6];
            truncated[2] = true;
            float[] final = new float[12];
            final[4] = finalValue;
            final[5] = finalValue;
            return new RolloutSegment
            {
                Steps = 2, Agents = 3, PolicyVersion = 0,
                Observations = new float[] { 0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.1f, -0.2f, 0.3f, 0.6f, -0.1f },
                Actions = new float[] { 0.1f, -0.2f, 0.3f, 0.0f, 0.5f, -0.4f },
                LogProbs = new float[] { -1f, -1.1f, -0.9f, -1f, -1.2f, -1f },
                Rewards = new float[] { 1, 0, 1, 0, 1, 0 },
                Terminated = new bool[6], Truncated = truncated, NextObservations = new float[6],
                FinalObservations = final,
            };
        }
        using var a = new PpoLearner(config);
        using var b = new PpoLearner(config);
        UpdateStats statsA = a.Update([Make(-5f)]);
        UpdateStats statsB = b.Update([Make(5f)]);
        Assert.NotEqual(statsA.ValueLoss, statsB.ValueLoss);
    }
}
