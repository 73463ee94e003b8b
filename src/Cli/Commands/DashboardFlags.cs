using System.CommandLine;
using Microsoft.Extensions.Configuration;
using MsMano.Dashboard.Hosting;

namespace MsMano.Cli.Commands;

/// <summary>The dashboard flags of the commands that run a trainer (<c>embedded</c>, <c>learner</c>).</summary>
public sealed class DashboardFlags(string defaultHost, string defaultClips)
{
    public Option<int> Port { get; } = new("--dashboard-port") { Description = $"Dashboard HTTP port (default {DashboardSettings.DefaultPort}; 0 = any free port).", DefaultValueFactory = _ => DashboardSettings.DefaultPort };
    public Option<string> Host { get; } = new("--dashboard-host") { Description = $"Interface the dashboard binds (default {defaultHost}).", DefaultValueFactory = _ => defaultHost };
    public Option<bool> Off { get; } = new("--no-dashboard") { Description = "No dashboard endpoint." };
    public Option<string> Clips { get; } = new("--clips") { Description = $"Folder of recorded clips the dashboard's viewer offers (default {defaultClips}).", DefaultValueFactory = _ => defaultClips };

    public IEnumerable<Option> All => [Port, Host, Off, Clips];

    /// <summary>A flag given on the command line wins, then MSMANO__DASHBOARD__* from <paramref name="configuration"/>, then the command's default.</summary>
    public DashboardSettings Bind(ParseResult parse, IConfiguration configuration)
    {
        var defaults = new DashboardSettings
        {
            Port = parse.GetValue(Port),
            Host = parse.GetValue(Host)!,
            ClipsDirectory = parse.GetValue(Clips),
        };
        DashboardSettings bound = DashboardSettingsBinder.Bind(configuration, defaults);
        return (bound with
        {
            Enabled = bound.Enabled && !parse.GetValue(Off),
            Port = Given(parse, Port) ? defaults.Port : bound.Port,
            Host = Given(parse, Host) ? defaults.Host : bound.Host,
            ClipsDirectory = Given(parse, Clips) ? defaults.ClipsDirectory : bound.ClipsDirectory,
        }).Validate();
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
