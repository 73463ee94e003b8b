using Akka.Actor;
using MsMano.Contracts.Monitoring;
using MsMano.Contracts.Nodes;

namespace MsMano.Cluster.Learner;

/// <summary>
/// The simulation nodes the learner broadcasts weights to, keyed by the node actor that registered. Nodes
/// re-register periodically, so a restarted learner rebuilds this from scratch within one interval, and a node that
/// stops re-registering is forgotten after a timeout even if its removal from the cluster was missed.
/// </summary>
public sealed class NodeRegistry
{
    private readonly Dictionary<IActorRef, Entry> _nodes = [];

    public int Count => _nodes.Count;

    public IEnumerable<IActorRef> Refs => _nodes.Keys;

    /// <summary>Sum of the latest agent-steps/s each live node reported.</summary>
    public double AgentStepsPerSecond => _nodes.Values.Sum(e => e.Status?.AgentStepsPerSecond ?? 0.0);

    /// <summary>Records a registration; true when the node is new (it then needs the current weights).</summary>
    public bool Register(IActorRef node, NodeRegistration registration, long nowTicks)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(registration);
        if (_nodes.TryGetValue(node, out Entry? entry))
        {
            entry.Registration = registration;
            entry.LastSeenTicks = nowTicks;
            return false;
        }
        _nodes[node] = new Entry(registration, nowTicks);
        return true;
    }

    /// <summary>Stores a status report; false when the sender never registered.</summary>
    public bool Report(IActorRef node, NodeStatus status, long nowTicks)
    {
        if (!_nodes.TryGetValue(node, out Entry? entry))
        {
            return false;
        }
        entry.Status = status;
        entry.LastSeenTicks = nowTicks;
        return true;
    }

    /// <summary>True when a registered node lives at <paramref name="address"/> (its simulation actors send from there).</summary>
    public bool HasAddress(Address address)
    {
        foreach (IActorRef node in _nodes.Keys)
        {
            if (node.Path.Address.Equals(address))
            {
                return true;
            }
        }
        return false;
    }

    public NodeRegistration? Remove(IActorRef node)
    {
        return _nodes.Remove(node, out Entry? entry) ? entry.Registration : null;
    }

    /// <summary>Removes and returns nodes not heard from since <paramref name="cutoffTicks"/>.</summary>
    public IReadOnlyList<(IActorRef Node, NodeRegistration Registration)> RemoveSilentSince(long cutoffTicks)
    {
        var silent = _nodes.Where(kv => kv.Value.LastSeenTicks < cutoffTicks).Select(kv => (kv.Key, kv.Value.Registration)).ToList();
        foreach ((IActorRef node, _) in silent)
        {
            _nodes.Remove(node);
        }
        return silent;
    }

    /// <summary>The nodes as watchers see them (the dashboard), ordered by node id.</summary>
    public IReadOnlyList<SimulationNodeSnapshot> Snapshot(long nowTicks)
    {
        return _nodes.OrderBy(kv => kv.Value.Registration.NodeId, StringComparer.Ordinal).Select(kv => new SimulationNodeSnapshot(
            kv.Value.Registration.NodeId, kv.Key.Path.Address.ToString(), kv.Value.Status?.ActorCount ?? kv.Value.Registration.ActorCount,
            kv.Value.Status?.AgentCount ?? kv.Value.Registration.AgentCount, kv.Value.Status?.AgentStepsPerSecond ?? 0.0,
            kv.Value.Status?.PolicyVersion ?? -1, TimeSpan.FromTicks(Math.Max(0, nowTicks - kv.Value.LastSeenTicks)).TotalSeconds)).ToList();
    }

    private sealed class Entry(NodeRegistration registration, long lastSeenTicks)
    {
        public NodeRegistration Registration { get; set; } = registration;

        public long LastSeenTicks { get; set; } = lastSeenTicks;

        public NodeStatus? Status { get; set; }
    }
}
