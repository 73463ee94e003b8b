using System.Net;
using System.Net.Sockets;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Management;

/// <summary>Config-discovery formation for nodes on one machine: free management ports and the shared contact-point list.</summary>
public static class ConfigDiscovery
{
    /// <summary>Bootstrap settles fast on loopback: discovery is local and instant, so a short margin is safe.</summary>
    public static readonly TimeSpan LocalStableMargin = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LocalProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Copies of <paramref name="nodes"/> with management on free loopback ports and config formation over all of them.</summary>
    public static IReadOnlyList<ClusterNodeOptions> ForLocalNodes(IReadOnlyList<ClusterNodeOptions> nodes)
    {
        int[] ports = FreePorts(nodes.Count);
        string[] points = ports.Select(p => $"127.0.0.1:{p}").ToArray();
        return nodes.Select((node, i) => node with
        {
            Seeds = [],
            Management = node.Management with
            {
                Enabled = true,
                Formation = ClusterFormation.Config,
                BindHostname = "127.0.0.1",
                Hostname = "127.0.0.1",
                Port = ports[i],
                ContactPoints = points,
                RequiredContactPoints = nodes.Count,
                StableMargin = LocalStableMargin,
                ProbeInterval = LocalProbeInterval,
            },
        }).ToList();
    }

    /// <summary>
    /// Distinct ports the OS reports free now (all sockets held open together, so no two are equal). Another
    /// process could take one before the node binds; the node then fails with a clear management-port error.
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (TcpListener listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
