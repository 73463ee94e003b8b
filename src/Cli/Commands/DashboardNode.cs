using Akka.Actor;
using MsMano.Cluster.Evaluation;
using MsMano.Contracts.Evaluation;
using MsMano.Dashboard.Hosting;
using MsMano.Dashboard.State;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>
/// The dashboard on the trainer's node: the HTTP endpoint (fed by the trainer's TrainingSnapshots) plus, when the node
/// evaluates, the last report and failure from the evaluation actor's outcomes.
/// </summary>
public static class DashboardNode
{
    /// <summary>Starts the endpoint; null when <paramref name="settings"/> turns it off.</summary>
    public static async Task<DashboardServer?> StartAsync(ActorSystem system, DashboardSettings settings, bool evaluationEnabled)
    {
        if (!settings.Enabled)
        {
            return null;
        }
        var state = new DashboardState(evaluationEnabled);
        DashboardServer server = await DashboardServer.StartAsync(system, settings, state).ConfigureAwait(false);
        if (evaluationEnabled)
        {
            EvaluationHost.ListenForOutcomes(system, written => state.Record(View(written)),
                failed => state.Record(new EvaluationFailure(failed.PolicyVersion, failed.Reason, DateTimeOffset.UtcNow)), "dashboard-evaluation");
        }
        Log.Information("Dashboard: {Url} (clips from {Clips})", server.Url, settings.ClipsDirectory ?? "(none)");
        return server;
    }

    private static EvaluationView View(EvaluationProtocol.ReportWritten written)
    {
        EvaluationReport report = written.Report;
        return new EvaluationView(
            report.Title, report.PolicyVersion,
            [.. report.Metrics.Select(m => new EvaluationRow(m.Method, m.Split, m.Name, m.Value, m.Unit))],
            report.Markdown, Path.GetFullPath(written.Files.Markdown), [.. written.Files.Plots.Select(Path.GetFullPath)], DateTimeOffset.UtcNow);
    }
}
