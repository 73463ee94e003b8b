using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

public sealed class PpoConfigTests
{
    [Fact]
    public void Defaults_are_the_papers_and_validate()
    {
        PpoConfig config = new PpoConfig().Validate();
        Assert.Equal(192, config.ObservationSize);
        Assert.Equal(31, config.ActionSize);
        Assert.Equal([256, 256], config.Hidden);
        Assert.Equal(3e-4, config.LearningRate);
        Assert.Equal(4, config.Epochs);
        Assert.Equal(0.001, config.EntropyCoef);
        Assert.Equal(0.01, config.TargetKl);
    }

    public static TheoryData<PpoConfig, string, string> BadConfigs() => new()
    {
        { new PpoConfig { ObservationSize = 0 }, "ObservationSize", "0" },
        { new PpoConfig { ActionSize = -3 }, "ActionSize", "-3" },
        { new PpoConfig { Hidden = [256, 0] }, "Hidden[1]", "0" },
        { new PpoConfig { Hidden = [] }, "Hidden", "at least one" },
        { new PpoConfig { LearningRate = double.NaN }, "LearningRate", "NaN" },
        { new PpoConfig { LearningRate = 0.5 }, "LearningRate", "0.5" },
        { new PpoConfig { Epochs = 0 }, "Epochs", "0" },
        { new PpoConfig { MinibatchSize = -1 }, "MinibatchSize", "-1" },
        { new PpoConfig { Gamma = 1.5 }, "Gamma", "1.5" },
        { new PpoConfig { GaeLambda = -0.1 }, "GaeLambda", "-0.1" },
        { new PpoConfig { ClipRange = 0 }, "ClipRange", "0" },
        { new PpoConfig { ValueClipRange = -1 }, "ValueClipRange", "-1" },
        { new PpoConfig { EntropyCoef = -0.01 }, "EntropyCoef", "-0.01" },
        { new PpoConfig { MaxGradNorm = double.PositiveInfinity }, "MaxGradNorm", "Infinity" },
        { new PpoConfig { TargetKl = 0 }, "TargetKl", "0" },
        { new PpoConfig { MinLearningRate = 1e-2, MaxLearningRate = 1e-3 }, "MinLearningRate", "0.01" },
        { new PpoConfig { Device = "tpu" }, "Device", "tpu" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Bad_values_fail_with_a_message_naming_field_and_value(PpoConfig config, string field, string value)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => config.Validate());
        Assert.Contains(field, ex.Message);
        Assert.Contains(value, ex.Message);
    }

    [Fact]
    public void Adaptive_learning_rate_follows_the_kl_rule_and_clamps()
    {
        Assert.Equal(2e-4, KlAdaptiveLearningRate.Next(3e-4, 0.03, 0.01, 1e-6, 1e-2), 12);
        Assert.Equal(4.5e-4, KlAdaptiveLearningRate.Next(3e-4, 0.004, 0.01, 1e-6, 1e-2), 12);
        Assert.Equal(3e-4, KlAdaptiveLearningRate.Next(3e-4, 0.01, 0.01, 1e-6, 1e-2), 12);
        Assert.Equal(1e-2, KlAdaptiveLearningRate.Next(9e-3, 0.0, 0.01, 1e-6, 1e-2), 12);
        Assert.Equal(1e-6, KlAdaptiveLearningRate.Next(1.2e-6, 1.0, 0.01, 1e-6, 1e-2), 12);
    }
}
