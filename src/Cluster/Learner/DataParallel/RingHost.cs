using Akka.Actor;
using MsMano.Cluster.Local;
using MsMano.Contracts.DataParallel;

namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>Routes a ring's operations and chunks on an actor thread, as a trainer does (for the ring's benchmark and tests).</summary>
public sealed class RingHost : ReceiveActor
{
    private RingAllReduce? _ring;

    public RingHost()
    {
        Receive<Use>(use =>
        {
            _ring = use.Ring;
            Sender.Tell(true);
        });
        Receive<RingProtocol.BeginOperation>(begin => begin.Ring.Begin(begin.Operation));
        Receive<ReduceChunk>(chunk => _ring?.Accept(chunk));
    }

    public sealed record Use(RingAllReduce Ring) : INoSerializationVerificationNeeded;
}

/// <summary>Wires a ring across every node of a local cluster, one <see cref="RingHost"/> per node.</summary>
public static class RingHosts
{
    /// <summary>One host per node of <paramref name="cluster"/>, in node order.</summary>
    public static IActorRef[] StartHosts(LocalCluster cluster) => cluster.Nodes.Select(s => s.ActorOf(Props.Create(() => new RingHost()))).ToArray();

    /// <summary>A ring of one member per host (rank = node index, successor = next node), each installed in its host.</summary>
    public static async Task<RingAllReduce[]> ConnectAsync(LocalCluster cluster, IActorRef[] hosts, long round, TimeSpan timeout)
    {
        int members = hosts.Length;
        string[] paths = cluster.Nodes.Select((s, i) => hosts[i].Path.ToSerializationFormatWithAddress(Akka.Cluster.Cluster.Get(s).SelfAddress)).ToArray();
        var rings = new RingAllReduce[members];
        for (int r = 0; r < members; r++)
        {
            IActorRef successor = ((ExtendedActorSystem)cluster.Nodes[r]).Provider.ResolveActorRef(paths[(r + 1) % members]);
            rings[r] = new RingAllReduce(hosts[r], successor, r, members, round, 0, timeout);
            await hosts[r].Ask<bool>(new RingHost.Use(rings[r]), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        return rings;
    }
}
