using Akka.Actor;
using Akka.Cluster;
using MsMano.Contracts.Monitoring;
using MsMano.Dashboard.State;
using AkkaCluster = Akka.Cluster.Cluster;

namespace MsMano.Dashboard.Api;

/// <summary>One cluster member as the page lists it; simulation nodes carry the throughput their trainer last heard.</summary>
public sealed record MemberView(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, bool Self, bool Leader, string? NodeId, int? Agents, double? AgentStepsPerSecond, long? PolicyVersion);

/// <summary>The cluster as this node sees it.</summary>
public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberView> Members);

/// <summary>The trainer's state; null fields until it has reported.</summary>
public sealed record TrainingView(
    string Source,
    long PolicyVersion,
    long Updates,
    long TotalTransitions,
    double MeanReward,
    double? ApproxKl,
    double BusyShare,
    double UpdatesPerSecond,
    double TransitionsPerSecond,
    double AgentStepsPerSecond,
    double SecondsSinceReport,
    string? CheckpointDirectory,
    string? LastCheckpoint,
    bool Converged,
    IReadOnlyList<SimulationNodeSnapshot> Nodes);

/// <summary>Evaluation state: off, none yet, the last report (plots by index under /api/evaluation/plots/N), or the last failure.</summary>
public sealed record EvaluationStateView(bool Enabled, EvaluationReportView? Last, EvaluationFailure? LastFailure);

/// <summary>The last evaluation report as the page shows it: its scores, files and plots.</summary>
public sealed record EvaluationReportView(string Title, long PolicyVersion, IReadOnlyList<EvaluationRow> Rows, string? MarkdownPath, IReadOnlyList<string> Plots, DateTimeOffset At);

/// <summary>Everything the page shows at once (also the payload of each Server-Sent <c>status</c> event).</summary>
public sealed record StatusView(long Revision, double Seconds, ClusterView Cluster, TrainingView? Training, EvaluationStateView Evaluation);

/// <summary>Builds the views from the state and the node's Akka.Cluster membership (a lock-free read of its gossip snapshot).</summary>
public static class StatusViews
{
    public static StatusView Status(ActorSystem system, DashboardState state)
    {
        return new StatusView(state.Revision, state.Now, Cluster(system, state.Training), Training(state), Evaluation(state));
    }

    public static ClusterView Cluster(ActorSystem system, TrainingSnapshot? training)
    {
        var cluster = AkkaCluster.Get(system);
        ClusterEvent.CurrentClusterState state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var nodes = (training?.Nodes ?? []).GroupBy(n => n.Address).ToDictionary(g => g.Key, g => g.ToList());
        var members = state.Members.Select(m =>
        {
            string address = m.Address.ToString();
            nodes.TryGetValue(address, out List<SimulationNodeSnapshot>? sims);
            return new MemberView(
                address, [.. m.Roles.OrderBy(r => r, StringComparer.Ordinal)], m.Status.ToString(), !unreachable.Contains(m.Address),
                m.Address == cluster.SelfAddress, m.Address == state.Leader,
                sims is null ? null : string.Join(", ", sims.Select(s => s.NodeId)),
                sims?.Sum(s => s.Agents), sims?.Sum(s => s.AgentStepsPerSecond), sims?.Min(s => s.PolicyVersion));
        }).ToList();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members);
    }

    public static TrainingView? Training(DashboardState state)
    {
        TrainingSnapshot? t = state.Training;
        if (t is null)
        {
            return null;
        }
        return new TrainingView(
            t.Source, t.PolicyVersion, t.Updates, t.TotalTransitions, t.MeanReward, t.ApproxKl is double kl && double.IsFinite(kl) ? kl : null,
            t.BusyShare, state.UpdatesPerSecond, t.TransitionsPerSecond, t.Nodes.Sum(n => n.AgentStepsPerSecond), Math.Max(0, state.Now - state.TrainingAt),
            t.CheckpointDirectory, t.LastCheckpoint, t.Converged, t.Nodes);
    }

    public static EvaluationStateView Evaluation(DashboardState state)
    {
        EvaluationView? e = state.Evaluation;
        EvaluationReportView? last = e is null
            ? null
            : new EvaluationReportView(e.Title, e.PolicyVersion, e.Rows, e.MarkdownPath, [.. e.PlotPaths.Select(Path.GetFileName).OfType<string>()], e.At);
        return new EvaluationStateView(state.EvaluationEnabled, last, state.EvaluationFailure);
    }
}
