using Akka.Actor;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;

namespace MsMano.Cluster.Telemetry;

/// <summary>
/// One node's latest figures for health, metrics and log properties: the learner's <see cref="TrainingStatus"/> and a
/// simulation node's <see cref="NodeStatus"/> (both taken from the node's own EventStream), and byte counters that
/// the rollout senders and receivers add to. Reads are lock-free snapshots; writers are one actor each.
/// </summary>
public sealed class NodeTelemetry : IExtension
{
    private readonly ActorSystem _system;
    private long _rolloutBytesSent;
    private long _rolloutBytesReceived;
    private long _trainingSeenTicks;
    private TrainingStatus? _training;
    private NodeStatus? _node;

    public NodeTelemetry(ExtendedActorSystem system)
    {
        _system = system;
        system.SystemActorOf(Props.Create(() => new TelemetryListener(this)), "msmano-telemetry");
    }

    public static NodeTelemetry Get(ActorSystem system) => system.WithExtension<NodeTelemetry, NodeTelemetryProvider>();

    public TrainingStatus? Training => Volatile.Read(ref _training);

    /// <summary>When this node last saw a training status (UTC); null when it never did (not a learner, or not started).</summary>
    public DateTime? TrainingSeenUtc
    {
        get
        {
            long ticks = Interlocked.Read(ref _trainingSeenTicks);
            return ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc);
        }
    }

    public NodeStatus? Node => Volatile.Read(ref _node);

    public long RolloutBytesSent => Interlocked.Read(ref _rolloutBytesSent);

    public long RolloutBytesReceived => Interlocked.Read(ref _rolloutBytesReceived);

    /// <summary>The policy version this node last saw (learner: trained; sim: acting with); -1 when none yet.</summary>
    public long PolicyVersion => Training?.PolicyVersion ?? Node?.PolicyVersion ?? -1;

    public ActorSystem System => _system;

    /// <summary>A rollout chunk's payload bytes (its arrays), the figure both ends count; null-safe for unvalidated chunks.</summary>
    public static long PayloadBytes(RolloutChunk chunk) =>
        (chunk.Observations?.LongLength ?? 0) + (chunk.Actions?.LongLength ?? 0) + (chunk.LogProbs?.LongLength ?? 0)
        + (chunk.Rewards?.LongLength ?? 0) + (chunk.Flags?.LongLength ?? 0) + (chunk.NextObservations?.LongLength ?? 0);

    public void AddRolloutBytesSent(long bytes) => Interlocked.Add(ref _rolloutBytesSent, bytes);

    public void AddRolloutBytesReceived(long bytes) => Interlocked.Add(ref _rolloutBytesReceived, bytes);

    internal void Record(TrainingStatus status)
    {
        Volatile.Write(ref _training, status);
        Interlocked.Exchange(ref _trainingSeenTicks, DateTime.UtcNow.Ticks);
        ProcessPolicyVersion.Observe(status.PolicyVersion);
    }

    internal void Record(NodeStatus status)
    {
        Volatile.Write(ref _node, status);
        ProcessPolicyVersion.Observe(status.PolicyVersion);
    }

    /// <summary>Subscribes to the two status messages on the node's EventStream.</summary>
    private sealed class TelemetryListener : ReceiveActor
    {
        public TelemetryListener(NodeTelemetry telemetry)
        {
            Receive<TrainingStatus>(telemetry.Record);
            Receive<NodeStatus>(telemetry.Record);
        }

        protected override void PreStart()
        {
            Context.System.EventStream.Subscribe(Self, typeof(TrainingStatus));
            Context.System.EventStream.Subscribe(Self, typeof(NodeStatus));
        }

        protected override void PostStop()
        {
            Context.System.EventStream.Unsubscribe(Self);
        }
    }
}

/// <summary>Creates the node's telemetry extension once per actor system.</summary>
public sealed class NodeTelemetryProvider : ExtensionIdProvider<NodeTelemetry>
{
    public override NodeTelemetry CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>The newest policy version any node in this process has seen, for host log lines that belong to no one node.</summary>
public static class ProcessPolicyVersion
{
    private static long s_latest = -1;

    public static long Latest => Interlocked.Read(ref s_latest);

    public static void Observe(long version)
    {
        long current = Interlocked.Read(ref s_latest);
        while (version > current)
        {
            long seen = Interlocked.CompareExchange(ref s_latest, version, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
