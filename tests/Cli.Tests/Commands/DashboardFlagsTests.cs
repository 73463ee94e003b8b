using System.CommandLine;
using Microsoft.Extensions.Configuration;
using MsMano.Cli.Commands;
using MsMano.Cli.Errors;
using MsMano.Dashboard.Hosting;

namespace MsMano.Cli.Tests.Commands;

public sealed class DashboardFlagsTests
{
    private static DashboardSettings Bind(Dictionary<string, string> environment, params string[] args)
    {
        var flags = new DashboardFlags("0.0.0.0", "clips");
        var command = new Command("test");
        foreach (Option option in flags.All)
        {
            command.Options.Add(option);
        }
        ParseResult parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        IConfigurationRoot configuration = MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], environment);
        return flags.Bind(parse, configuration);
    }

    [Fact]
    public void A_pods_environment_sets_the_dashboard_and_a_flag_given_on_the_command_line_wins()
    {
        var pod = new Dictionary<string, string> { ["MSMANO__DASHBOARD__PORT"] = "9090", ["MSMANO__DASHBOARD__CLIPSDIRECTORY"] = "/var/lib/msmano/clips" };

        DashboardSettings defaults = Bind([]);
        Assert.Equal((true, DashboardSettings.DefaultPort, "0.0.0.0", "clips"), (defaults.Enabled, defaults.Port, defaults.Host, defaults.ClipsDirectory));
        DashboardSettings fromEnvironment = Bind(pod);
        Assert.Equal((true, 9090, "/var/lib/msmano/clips"), (fromEnvironment.Enabled, fromEnvironment.Port, fromEnvironment.ClipsDirectory));
        Assert.Equal(7070, Bind(pod, "--dashboard-port", "7070").Port);
        Assert.False(Bind(pod, "--no-dashboard").Enabled);
        Assert.False(Bind(new() { ["MSMANO__DASHBOARD__ENABLED"] = "false" }).Enabled);
        ArgumentException error = Assert.Throws<ArgumentException>(() => Bind(new() { ["MSMANO__DASHBOARD__ENABLED"] = "yes" }));
        Assert.Contains("MSMANO__DASHBOARD__ENABLED", error.Message);
    }

    [Fact]
    public void The_unknown_variable_check_accepts_the_dashboard_variables_the_learner_pod_sets()
    {
        // deploy/k8s/base/learner-statefulset.yaml sets these; a refused one would stop the learner at start.
        EnvironmentKeys.Check(new System.Collections.Hashtable
        {
            ["MSMANO__DASHBOARD__ENABLED"] = "true", ["MSMANO__DASHBOARD__PORT"] = "8080",
            ["MSMANO__DASHBOARD__HOST"] = "0.0.0.0", ["MSMANO__DASHBOARD__CLIPSDIRECTORY"] = "/var/lib/msmano/clips",
        });
        Assert.Throws<UserError>(() => EnvironmentKeys.Check(new System.Collections.Hashtable { ["MSMANO__DASHBOARD__PORTS"] = "8080" }));
    }
}
