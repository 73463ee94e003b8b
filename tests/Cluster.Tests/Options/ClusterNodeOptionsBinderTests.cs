using MsMano.Cluster.Options;

namespace MsMano.Cluster.Tests.Options;

public sealed class ClusterNodeOptionsBinderTests
{
    private static ClusterNodeOptions Bind(Dictionary<string, string> environment, params string[] args)
    {
        return ClusterNodeOptionsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine(args, environment));
    }

    [Fact]
    public void WebCrawler_style_variables_set_the_public_hostname_port_and_indexed_seeds()
    {
        ClusterNodeOptions options = Bind(new()
        {
            ["CLUSTER__IP"] = "sim-3.sim",
            ["CLUSTER__PORT"] = "4053",
            ["CLUSTER__SEEDS__1"] = "akka.tcp://msmano@sim-1.sim:4053",
            ["CLUSTER__SEEDS__0"] = "akka.tcp://msmano@sim-0.sim:4053",
            ["CLUSTER__ROLES__0"] = "sim",
        });

        Assert.Equal("sim-3.sim", options.PublicHostname);
        Assert.Equal("sim-3.sim", options.EffectivePublicHostname);
        Assert.Equal(4053, options.Port);
        Assert.Equal(["akka.tcp://msmano@sim-0.sim:4053", "akka.tcp://msmano@sim-1.sim:4053"], options.Seeds);
        Assert.Equal(["sim"], options.Roles);
        Assert.Equal("0.0.0.0", options.Hostname);
    }

    [Fact]
    public void Project_variables_override_the_WebCrawler_section_and_flags_override_both()
    {
        var environment = new Dictionary<string, string>
        {
            ["CLUSTER__PORT"] = "4053",
            ["MSMANO__CLUSTER__PORT"] = "5000",
            ["MSMANO__CLUSTER__ROLES"] = "learner,eval",
            ["MSMANO__CLUSTER__STABLEAFTER"] = "7s",
            ["MSMANO__CLUSTER__SHUTDOWNTIMEOUT"] = "00:01:15",
            ["MSMANO__CLUSTER__DOWNALLWHENUNSTABLE"] = "off",
        };

        ClusterNodeOptions fromEnvironment = Bind(environment);
        ClusterNodeOptions fromFlags = Bind(environment, "learner", "--port", "6000", "--stable-after", "500ms", "--readiness-file", "");

        Assert.Equal(5000, fromEnvironment.Port);
        Assert.Equal(["learner", "eval"], fromEnvironment.Roles);
        Assert.Equal(TimeSpan.FromSeconds(7), fromEnvironment.StableAfter);
        Assert.Equal(TimeSpan.FromSeconds(75), fromEnvironment.ShutdownTimeout);
        Assert.False(fromEnvironment.DownAllWhenUnstable);
        Assert.Equal(ClusterNodeOptions.DefaultReadinessFile, fromEnvironment.ReadinessFile);
        Assert.Equal(6000, fromFlags.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(500), fromFlags.StableAfter);
        Assert.Null(fromFlags.ReadinessFile);
    }

    [Fact]
    public void Comma_separated_seeds_and_appsettings_json_are_read()
    {
        string path = Path.Combine(Path.GetTempPath(), $"msmano-appsettings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "MsMano": { "Cluster": { "Roles": [ "sim" ], "Port": 4100, "MaximumFrameSize": 300000,
                                       "SendBufferSize": 600000, "ReceiveBufferSize": 600000 } } }
            """);
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["CLUSTER__SEEDS"] = "akka.tcp://msmano@a:1, akka.tcp://msmano@b:2",
            };
            ClusterNodeOptions options = ClusterNodeOptionsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], environment, path));

            Assert.Equal(["akka.tcp://msmano@a:1", "akka.tcp://msmano@b:2"], options.Seeds);
            Assert.Equal(4100, options.Port);
            Assert.Equal(300_000, options.MaximumFrameSize);
            Assert.Equal(["sim"], options.Roles);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("CLUSTER__PORT", "http", "Cluster:Port = 'http'")]
    [InlineData("CLUSTER__PORT", "70000", "Port = '70000'")]
    [InlineData("MSMANO__CLUSTER__STABLEAFTER", "soon", "MsMano:Cluster:StableAfter = 'soon'")]
    [InlineData("MSMANO__CLUSTER__DOWNALLWHENUNSTABLE", "maybe", "MsMano:Cluster:DownAllWhenUnstable = 'maybe'")]
    [InlineData("CLUSTER__SEEDS__0", "sim-0.sim:4053", "Seeds = 'sim-0.sim:4053'")]
    [InlineData("CLUSTER__SEEDS__0", "akka.tcp://other@sim-0.sim:4053", "names system 'other'")]
    [InlineData("CLUSTER__ROLES__0", "trainer", "Roles = 'trainer'")]
    [InlineData("MSMANO__CLUSTER__MAXIMUMFRAMESIZE", "1000", "MaximumFrameSize = '1000'")]
    [InlineData("MSMANO__CLUSTER__SENDBUFFERSIZE", "100000", "SendBufferSize = '100000'")]
    [InlineData("MSMANO__CLUSTER__SYSTEMNAME", "ms mano", "SystemName = 'ms mano'")]
    public void A_bad_value_is_named_in_the_error(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string> { ["CLUSTER__ROLES__0"] = "sim" };
        environment[variable] = value;

        ClusterConfigurationException ex = Assert.Throws<ClusterConfigurationException>(() => Bind(environment));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_node_without_roles_is_refused()
    {
        ClusterConfigurationException ex = Assert.Throws<ClusterConfigurationException>(() => Bind([]));
        Assert.Equal("Roles", ex.Setting);
    }

    [Theory]
    [InlineData("CLUSTER__IP", true)]
    [InlineData("CLUSTER__SEEDS__12", true)]
    [InlineData("MSMANO__CLUSTER__STABLEAFTER", true)]
    [InlineData("msmano__cluster__port", true)]
    [InlineData("CLUSTER__SEEDS__X", false)]
    [InlineData("CLUSTER__PORT__0", false)]
    [InlineData("CLUSTER__PROT", false)]
    [InlineData("MSMANO__LEARNER__LR", false)]
    [InlineData("POD_NAME", false)]
    public void Known_environment_variable_names_are_recognised(string name, bool known)
    {
        Assert.Equal(known, ClusterNodeOptionsBinder.IsKnownEnvironmentVariable(name));
    }
}
