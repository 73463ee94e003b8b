using Akka.Actor;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Management;

/// <summary>Starts the management HTTP endpoint and, for the discovery formations, Cluster Bootstrap.</summary>
public static class ManagementHost
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Returns the management endpoint's URI, or null when management is off.</summary>
    public static Uri? Start(ActorSystem system, ClusterNodeOptions options)
    {
        ManagementOptions m = options.Management;
        if (!m.Enabled)
        {
            return null;
        }
        try
        {
            ManagementHttpServer.Start(system, m);
        }
        catch (Exception ex) when (ex is System.Net.HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ClusterConfigurationException("ManagementPort", m.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"the management endpoint on {m.BindHostname}:{m.Port} did not start ({ex.Message})");
        }
        if (m.Formation != ClusterFormation.Seeds)
        {
            // Asking Akka.Management for its routes (nothing is bound) hands bootstrap its own contact point.
            AkkaManagement.Get(system).Routes();
            ClusterBootstrap.Get(system).Start().WaitAsync(s_startTimeout).GetAwaiter().GetResult();
        }
        return new Uri($"http://{m.EffectiveHostname(options)}:{m.Port}/");
    }
}
