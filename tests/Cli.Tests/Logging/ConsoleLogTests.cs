using System.Text.RegularExpressions;
using MsMano.Cli.Logging;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using Serilog;

namespace MsMano.Cli.Tests.Logging;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>The main job's console: the run's own lines and warnings, never Akka's INFO chatter (that goes to the file).</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleLogTests
{
    [Fact]
    public async Task Console_shows_the_runs_own_lines_and_no_akka_info_which_goes_to_the_log_file()
    {
        string directory = Path.Combine(Path.GetTempPath(), "msmano-log-" + Guid.NewGuid().ToString("N"));
        string file = Path.Combine(directory, "msmano-.log");
        TextWriter originalOut = Console.Out, originalError = Console.Error;
        ILogger originalLogger = Log.Logger;
        var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            Log.Logger = LogSetup.Create(level: null, format: null, file: file);
            Log.Information("run progress: update {Update}", 1);
            // A real cluster: remoting start-up, bootstrap, membership, then a graceful leave and shutdown.
            await using (await LocalCluster.StartWithBootstrapAsync(
                [ClusterNodeOptions.Local(ClusterRoles.Learner), ClusterNodeOptions.Local(ClusterRoles.Sim)], TimeSpan.FromSeconds(60)))
            {
                Log.Information("run progress: update {Update}", 2);
            }
            await Task.Delay(500); // Akka's shutdown lines come from other threads
        }
        finally
        {
            await Log.CloseAndFlushAsync();
            Log.Logger = originalLogger;
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }

        string console = output.ToString();
        Assert.Contains("run progress: update 1", console);
        Assert.Contains("run progress: update 2", console);
        string[] akkaInfo = console.Split('\n').Where(l => AkkaInfoLine().IsMatch(l)).ToArray();
        Assert.True(akkaInfo.Length == 0, "Akka INFO on the console:\n" + string.Join("\n", akkaInfo));

        string logged = string.Concat(Directory.GetFiles(directory).Select(File.ReadAllText));
        Assert.Contains("Starting remoting", logged);
        Assert.Matches(@"\[INF\] 127\.0\.0\.1:\d+ learner v-1 .*Member", logged);
        Assert.Contains("run progress: update 2", logged);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void A_leaving_nodes_connection_teardown_stays_off_the_console_and_other_akka_errors_do_not()
    {
        var origin = new Serilog.Events.LogEventProperty(MsMano.Cluster.Logging.LogProperties.Origin, new Serilog.Events.ScalarValue(MsMano.Cluster.Logging.LogProperties.AkkaOrigin));
        Serilog.Events.LogEvent Event(Serilog.Events.LogEventLevel level, string text, Exception? exception = null) =>
            new(DateTimeOffset.UtcNow, level, exception, new Serilog.Parsing.MessageTemplateParser().Parse(text), [origin]);

        Assert.True(MsMano.Cluster.Logging.LogProperties.IsConnectionNoise(Event(Serilog.Events.LogEventLevel.Error, "Disassociated")));
        Assert.True(MsMano.Cluster.Logging.LogProperties.IsConnectionNoise(Event(Serilog.Events.LogEventLevel.Warning,
            "Association with remote system {0} has failed; address is now gated for {1} ms. Reason is: [{2}]")));
        Assert.False(MsMano.Cluster.Logging.LogProperties.IsConnectionNoise(Event(Serilog.Events.LogEventLevel.Error, "Serialization failed for message [ReduceChunk]")));
        Assert.False(MsMano.Cluster.Logging.LogProperties.IsConnectionNoise(Event(Serilog.Events.LogEventLevel.Fatal, "Disassociated")));
    }

    // Serilog-rendered INF lines about remoting/membership/bootstrap, or Akka's own stdout format ([INFO][date]...).
    [GeneratedRegex(@"\[INFO\]\[|INF\].*(remoting|Remoting|Cluster Node|Member|[Bb]ootstrap|Leader|shut)")]
    private static partial Regex AkkaInfoLine();
}
