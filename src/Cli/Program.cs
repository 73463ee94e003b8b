using System.CommandLine;
using MsMano.Cli.Commands;
using MsMano.Cli.Errors;
using MsMano.Cli.Flags;
using MsMano.Cli.Logging;
using Serilog;

namespace MsMano.Cli;

/// <summary>The msmano entry point: logging set up, commands parsed and run, one line on failure.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool verbose = args.Contains("--verbose");
        try
        {
            LogSetup.Configure();
            EnvironmentKeys.Check(Environment.GetEnvironmentVariables());
            RootCommand root = CreateRoot();
            ParseResult parse = root.Parse(args);
            // A parse error (an unknown flag, a value out of its range) is a user error like any other: one line, exit code 2.
            if (parse.Errors.Count > 0)
            {
                throw new UserError(string.Join(" ", parse.Errors.Select(e => e.Message)));
            }
            // Our handler, not System.CommandLine's: a user error is one line and exit code 2, not a stack trace.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            Log.CloseAndFlush();
            return ErrorReport.Report(ex, verbose, Console.Error);
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }

    /// <summary>The command tree, every numeric flag ranged (<see cref="FlagRanges"/>).</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("MS-MANO Cluster: musculoskeletal MANO hand simulation and training.");
        root.Options.Add(new Option<bool>("--verbose") { Description = "Print stack traces with errors.", Recursive = true });
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
        root.Subcommands.Add(ClusterCertificateCommand.Create());
        // No command: the embedded default job (learner + 2 simulation nodes over loopback remoting).
        // The same learning default as `embedded` (MSMANO__LEARNING, else data-parallel).
        root.SetAction(parse => EmbeddedCommand.Run(new EmbeddedOptions
        {
            Learning = SimNodeFlags.LearningMode(SimNodeFlags.Build([]), MsMano.Cluster.Learner.LearningMode.DataParallel),
        }));
        FlagRanges.Apply(root);
        return root;
    }
}
