using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Tests.Options;

public sealed class NodeSettingsBinderTests
{
    private static Microsoft.Extensions.Configuration.IConfiguration Environment(params (string Name, string Value)[] variables)
    {
        return MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], variables.ToDictionary(v => v.Name, v => v.Value));
    }

    [Fact]
    public void Learner_settings_bind_from_environment_variables()
    {
        LearnerSettings settings = LearnerSettingsBinder.Bind(Environment(
            ("MSMANO__LEARNER__BATCHSIZE", "4096"),
            ("MSMANO__LEARNER__CHECKPOINTDIRECTORY", "/var/lib/msmano/checkpoints"),
            ("MSMANO__LEARNER__TENSORBOARDDIRECTORY", ""),
            ("MSMANO__LEARNER__NODETIMEOUT", "30s"),
            ("MSMANO__LEARNER__TRAIN", "off")));

        Assert.Equal(4096, settings.BatchSize);
        Assert.Equal("/var/lib/msmano/checkpoints", settings.CheckpointDirectory);
        Assert.Null(settings.TensorBoardDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.NodeTimeout);
        Assert.False(settings.Train);
        Assert.Equal(4096, settings.EffectiveMaxBufferedTransitions);
    }

    [Fact]
    public void The_convergence_criterion_binds_from_environment_variables_and_defaults_to_a_50_update_window()
    {
        LearnerSettings defaults = LearnerSettingsBinder.Bind(Environment());
        LearnerSettings settings = LearnerSettingsBinder.Bind(Environment(
            ("MSMANO__LEARNER__PLATEAUWINDOW", "0"), ("MSMANO__LEARNER__PLATEAUMINIMPROVEMENT", "0.05")));

        Assert.Equal((50, 0.01), (defaults.PlateauWindow, defaults.PlateauMinImprovement));
        Assert.Equal((0, 0.05), (settings.PlateauWindow, settings.PlateauMinImprovement));
        Assert.Contains("PlateauWindow", Assert.ThrowsAny<Exception>(() => LearnerSettingsBinder.Bind(Environment(("MSMANO__LEARNER__PLATEAUWINDOW", "-1")))).Message);
        Assert.True(LearnerSettingsBinder.IsKnownEnvironmentVariable("MSMANO__LEARNER__PLATEAUMINIMPROVEMENT"));
    }

    [Fact]
    public void Ppo_overrides_apply_on_top_of_the_environment_sized_defaults()
    {
        var defaults = new PpoConfig { ObservationSize = 180, ActionSize = 31, Gamma = 0.9 };

        PpoConfig ppo = LearnerSettingsBinder.BindPpo(Environment(
            ("MSMANO__PPO__LEARNINGRATE", "1e-4"), ("MSMANO__PPO__HIDDEN__0", "128"), ("MSMANO__PPO__HIDDEN__1", "64")), defaults);

        Assert.Equal((180, 31, 0.9, 1e-4), (ppo.ObservationSize, ppo.ActionSize, ppo.Gamma, ppo.LearningRate));
        Assert.Equal([128, 64], ppo.Hidden);
    }

    [Fact]
    public void Simulation_settings_bind_from_environment_variables()
    {
        SimulationNodeSettings settings = SimulationNodeSettingsBinder.Bind(Environment(
            ("MSMANO__SIM__ACTORS", "4"), ("MSMANO__SIM__AGENTS", "32"), ("MSMANO__SIM__ACKTIMEOUT", "500ms")));

        Assert.Equal((4, 32, TimeSpan.FromMilliseconds(500)), (settings.Actors, settings.Agents, settings.AckTimeout));
    }

    [Theory]
    [InlineData("MSMANO__LEARNER__BATCHSIZE", "0", "BatchSize")]
    [InlineData("MSMANO__LEARNER__CREDITWINDOW", "5000", "CreditWindow")]
    [InlineData("MSMANO__LEARNER__BATCHSIZE", "many", "MsMano:Learner:BatchSize")]
    public void A_bad_learner_value_is_refused_naming_the_setting(string name, string value, string expected)
    {
        Exception ex = Assert.ThrowsAny<Exception>(() => LearnerSettingsBinder.Bind(Environment((name, value))));
        Assert.Contains(expected, ex.Message);
        Assert.Contains(value, ex.Message);
    }

    [Theory]
    [InlineData("MSMANO__SIM__AGENTS", "0", "Agents")]
    [InlineData("MSMANO__SIM__ACTORS", "2000", "Actors")]
    public void A_bad_simulation_value_is_refused_naming_the_setting(string name, string value, string expected)
    {
        Exception ex = Assert.ThrowsAny<Exception>(() => SimulationNodeSettingsBinder.Bind(Environment((name, value))));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("MSMANO__LEARNER__BATCHSIZE", true)]
    [InlineData("MSMANO__PPO__HIDDEN__1", true)]
    [InlineData("MSMANO__PPO__BATCH", false)]
    [InlineData("MSMANO__LEARNER__BATCHSIZE__0", false)]
    public void Learner_environment_names_are_recognised_exactly(string name, bool known)
    {
        Assert.Equal(known, LearnerSettingsBinder.IsKnownEnvironmentVariable(name));
    }

    [Theory]
    [InlineData("MSMANO__SIM__ACTORS", true)]
    [InlineData("MSMANO__SIM__ACTOR", false)]
    [InlineData("SIM__ACTORS", false)]
    public void Simulation_environment_names_are_recognised_exactly(string name, bool known)
    {
        Assert.Equal(known, SimulationNodeSettingsBinder.IsKnownEnvironmentVariable(name));
    }
}
