using Akka.Actor;
using Akka.Cluster;
using MsMano.Cluster.Telemetry;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Training;
using Prometheus;

namespace MsMano.Cluster.Metrics;

/// <summary>
/// One node's Prometheus registry (one per ActorSystem, so in-process nodes never mix their series), filled from
/// <see cref="NodeTelemetry"/> just before each scrape. Counters are cumulative since the node started: read rates
/// with PromQL <c>rate()</c>; the per-second gauges are the nodes' own interval measurements.
/// </summary>
public sealed class NodeMetrics
{
    private readonly NodeTelemetry _telemetry;
    private readonly Gauge _agentStepsPerSecond;
    private readonly Gauge _agents;
    private readonly Gauge _rolloutBytesSent;
    private readonly Gauge _rolloutBytesReceived;
    private readonly Gauge _policyVersion;
    private readonly Gauge _updates;
    private readonly Gauge _transitions;
    private readonly Gauge _transitionsPerSecond;
    private readonly Gauge _meanReward;
    private readonly Gauge _memberUp;
    private readonly Gauge _members;
    private readonly Gauge _unreachable;

    public NodeMetrics(ActorSystem system)
    {
        _telemetry = NodeTelemetry.Get(system);
        var cluster = Akka.Cluster.Cluster.Get(system);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Registry.SetStaticLabels(new Dictionary<string, string>
        {
            ["node"] = $"{cluster.SelfAddress.Host}:{cluster.SelfAddress.Port}",
            ["roles"] = string.Join(",", cluster.SelfRoles.OrderBy(r => r, StringComparer.Ordinal)),
        });
        MetricFactory f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _agentStepsPerSecond = f.CreateGauge("msmano_agent_steps_per_second", "Simulation node: agent-steps per second over its last status interval.");
        _agents = f.CreateGauge("msmano_agents", "Simulation node: hands being stepped.");
        // Counters as gauges: the value comes from the node's own counter, set at scrape time (prometheus-net counters only increment).
        _rolloutBytesSent = f.CreateGauge("msmano_rollout_bytes_sent_total", "Simulation node: rollout payload bytes sent to the learner (counter).");
        _rolloutBytesReceived = f.CreateGauge("msmano_rollout_bytes_received_total", "Learner: rollout payload bytes received (counter).");
        _policyVersion = f.CreateGauge("msmano_policy_version", "Policy version this node trains (learner) or acts with (sim); -1 before the first.");
        _updates = f.CreateGauge("msmano_learner_updates_total", "Learner: PPO updates since the run began, incl. resumed ones (counter).");
        _transitions = f.CreateGauge("msmano_learner_transitions_total", "Learner: transitions trained on since the run began (counter).");
        _transitionsPerSecond = f.CreateGauge("msmano_learner_transitions_per_second", "Learner: accepted transitions per second over its last progress interval.");
        _meanReward = f.CreateGauge("msmano_learner_mean_reward", "Learner: mean reward over its last progress interval.");
        _memberUp = f.CreateGauge("msmano_member_up", "1 while this node's member is Up.");
        _members = f.CreateGauge("msmano_cluster_members", "Members this node sees.");
        _unreachable = f.CreateGauge("msmano_cluster_unreachable_members", "Members this node sees as unreachable.");
        Registry.AddBeforeCollectCallback(() => Refresh(cluster));
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The Prometheus text exposition of this node's series.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellation = default)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellation).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private void Refresh(Akka.Cluster.Cluster cluster)
    {
        NodeStatus? node = _telemetry.Node;
        _agentStepsPerSecond.Set(node?.AgentStepsPerSecond ?? 0);
        _agents.Set(node?.AgentCount ?? 0);
        _rolloutBytesSent.Set(_telemetry.RolloutBytesSent);
        _rolloutBytesReceived.Set(_telemetry.RolloutBytesReceived);
        _policyVersion.Set(_telemetry.PolicyVersion);
        TrainingStatus? training = _telemetry.Training;
        _updates.Set(training?.Updates ?? 0);
        _transitions.Set(training?.TotalTransitions ?? 0);
        _transitionsPerSecond.Set(training?.TransitionsPerSecond ?? 0);
        _meanReward.Set(training?.MeanReward ?? 0);
        ClusterEvent.CurrentClusterState state = cluster.State;
        _memberUp.Set(cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up ? 1 : 0);
        _members.Set(state.Members.Count);
        _unreachable.Set(state.Unreachable.Count);
    }
}
