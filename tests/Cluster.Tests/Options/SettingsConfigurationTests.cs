using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Settings;
using MsMano.Cluster.Simulation;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Tests.Options;

/// <summary>
/// The one configuration path (<see cref="SettingsConfiguration.Build"/>, what the binary runs): appsettings.json,
/// then environment, then flags; unknown keys from any of them refused with a did-you-mean; values converted by
/// configuration binding with the duration, switch and list converters.
/// </summary>
public sealed class SettingsConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("msmano-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Appsettings_then_environment_then_flags_set_one_key_later_wins()
    {
        string file = AppSettings("""{ "MsMano": { "Sim": { "Actors": 2, "Agents": 16, "AckTimeout": "1h" } } }""");
        var environment = new Dictionary<string, string> { ["MSMANO__SIM__AGENTS"] = "32", ["MSMANO__SIM__STATUSINTERVAL"] = "250ms" };
        KeyValuePair<string, string?>[] flags = [new("MsMano:Sim:Agents", "48"), new("MsMano:Sim:NodeId", null)];

        SimulationNodeSettings settings = SimulationNodeSettingsBinder.Bind(SettingsConfiguration.Build(flags, environment, file));

        Assert.Equal(2, settings.Actors);
        Assert.Equal(48, settings.Agents);
        Assert.Equal(TimeSpan.FromHours(1), settings.AckTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.StatusInterval);
        Assert.Equal(new SimulationNodeSettings().NodeId, settings.NodeId);
    }

    [Theory]
    [InlineData("""{ "MsMano": { "Learner": { "BatchSiz": 64 } } }""", "key MsMano:Learner:BatchSiz is not a setting msmano reads; did you mean MsMano:Learner:BatchSize?")]
    [InlineData("""{ "MsMano": { "Lerner": { "BatchSize": 64 } } }""", "key MsMano:Lerner:BatchSize is not a setting msmano reads; did you mean MsMano:Learner:BatchSize?")]
    [InlineData("""{ "Cluster": { "Prot": 4053 } }""", "key Cluster:Prot is not a setting msmano reads; did you mean Cluster:Port?")]
    [InlineData("""{ "MsMano": { "Learner": { "BatchSize": { "Value": 64 } } } }""", "key MsMano:Learner:BatchSize:Value is not a setting")]
    public void An_unknown_appsettings_key_is_refused_naming_the_file(string json, string expected)
    {
        string file = AppSettings(json);

        ClusterConfigurationException ex = Assert.Throws<ClusterConfigurationException>(() => SettingsConfiguration.Build([], new Dictionary<string, string>(), file));

        Assert.Contains($"{Path.GetFileName(file)}: {expected}", ex.Message);
    }

    [Fact]
    public void An_unknown_environment_key_is_refused_as_a_variable_and_foreign_cluster_variables_are_left_alone()
    {
        ClusterConfigurationException ex = Assert.Throws<ClusterConfigurationException>(() => SettingsConfiguration.Build([], new Dictionary<string, string> { ["MSMANO__SIM__ACTOR"] = "2" }));
        Assert.Equal("environment variable MSMANO__SIM__ACTOR is not a setting msmano reads; did you mean MSMANO__SIM__ACTORS?", ex.Message);

        // CLUSTER__* is a shared namespace (other tools in the pod may use it): only appsettings' Cluster section is checked.
        SettingsConfiguration.Build([], new Dictionary<string, string> { ["CLUSTER__SOMETHINGELSE"] = "x", ["CLUSTER__PORT"] = "4053" });
    }

    [Fact]
    public void A_list_from_configuration_replaces_the_default_instead_of_extending_it()
    {
        var defaults = new PpoConfig { ObservationSize = 8, ActionSize = 2, Hidden = [256, 256] };

        PpoConfig indexed = LearnerSettingsBinder.BindPpo(Environment(("MSMANO__PPO__HIDDEN__0", "64")), defaults);
        PpoConfig comma = LearnerSettingsBinder.BindPpo(Environment(("MSMANO__PPO__HIDDEN", "128, 32")), defaults);
        PpoConfig untouched = LearnerSettingsBinder.BindPpo(Environment(), defaults);

        Assert.Equal([64], indexed.Hidden);
        Assert.Equal([128, 32], comma.Hidden);
        Assert.Equal([256, 256], untouched.Hidden);
        Assert.Equal([256, 256], defaults.Hidden);
    }

    [Theory]
    [InlineData("MSMANO__LEARNER__NODETIMEOUT", "90", "MsMano:Learner:NodeTimeout = '90'")]
    [InlineData("MSMANO__LEARNER__TRAIN", "perhaps", "MsMano:Learner:Train = 'perhaps'")]
    [InlineData("MSMANO__LEARNER__PLATEAUMINIMPROVEMENT", "NaN", "MsMano:Learner:PlateauMinImprovement = 'NaN'")]
    [InlineData("MSMANO__LEARNER__MAXUPDATES", "1e3", "MsMano:Learner:MaxUpdates = '1e3'")]
    [InlineData("MSMANO__CLUSTER__FORMATION", "gossip", "MsMano:Cluster:Formation = 'gossip'")]
    [InlineData("MSMANO__CLUSTER__PORT__0", "4053", "MSMANO__CLUSTER__PORT__0 is not a setting")]
    public void A_value_that_does_not_convert_is_refused_naming_path_and_value(string name, string value, string expected)
    {
        ClusterConfigurationException ex = Assert.Throws<ClusterConfigurationException>(() =>
        {
            IConfiguration configuration = Environment((name, value), ("MSMANO__CLUSTER__ROLES", "sim"));
            ClusterNodeOptionsBinder.Bind(configuration);
            LearnerSettingsBinder.Bind(configuration);
        });
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Switches_accept_on_off_yes_no()
    {
        Assert.False(LearnerSettingsBinder.Bind(Environment(("MSMANO__LEARNER__TRAIN", "off"))).Train);
        Assert.True(LearnerSettingsBinder.Bind(Environment(("MSMANO__LEARNER__TRAIN", "yes"))).Train);
    }

    private string AppSettings(string json)
    {
        string file = Path.Combine(_directory, $"appsettings-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return file;
    }

    private IConfiguration Environment(params (string Name, string Value)[] variables)
    {
        // A path with no file: only the variables count.
        return SettingsConfiguration.Build([], variables.ToDictionary(v => v.Name, v => v.Value), Path.Combine(_directory, "none.json"));
    }
}
