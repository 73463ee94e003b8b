using System.CommandLine;
using MsMano.Cli.Commands;
using MsMano.Cli.Logging;
using Serilog;

namespace MsMano.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        LogSetup.Configure();
        try
        {
            var root = new RootCommand("MS-MANO Cluster: musculoskeletal MANO hand simulation and training.");
            root.Subcommands.Add(SimulateCommand.Create());
            root.Subcommands.Add(BenchCommand.Create());
            root.Subcommands.Add(PlotFds4Command.Create());
            root.Subcommands.Add(ValidateMyoHandCommand.Create());
            root.Subcommands.Add(ConvertModelCommand.Create());
            root.Subcommands.Add(TrainCommand.Create());
            root.Subcommands.Add(EvaluateCommand.Create());
            root.Subcommands.Add(EmbeddedCommand.Create());
            root.Subcommands.Add(LearnerCommand.Create());
            root.Subcommands.Add(SimCommand.Create());
            root.Subcommands.Add(ClusterBenchCommand.Create());
            root.Subcommands.Add(RecordCommand.Create());
            // No command: the embedded default job (learner + 2 simulation nodes over loopback remoting).
            root.SetAction(parse => EmbeddedCommand.Run(new EmbeddedOptions()));
            return root.Parse(args).Invoke();
        }
        catch (Exception ex)
        {
            Log.Fatal(ex, "msmano failed");
            return 1;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }
}
