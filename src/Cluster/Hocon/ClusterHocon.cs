using System.Globalization;
using System.Text;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Discovery;
using Akka.Management.Dsl;
using MsMano.Cluster.Logging;
using MsMano.Cluster.Management;
using MsMano.Cluster.Options;
using MsMano.Contracts.Serialization;

namespace MsMano.Cluster.Hocon;

/// <summary>Turns <see cref="ClusterNodeOptions"/> into the Akka configuration every host uses.</summary>
public static class ClusterHocon
{
    /// <summary>
    /// The node's full config: cluster provider, remoting, keep-majority split-brain resolver, coordinated shutdown,
    /// the Serilog logging bridge, the cluster-singleton defaults and the contract serializer (payload limit = the frame size, since no payload can
    /// be larger than its frame). <paramref name="overrides"/> wins over everything (tests use it for loggers).
    /// </summary>
    public static Config Build(ClusterNodeOptions options, Config? overrides = null)
    {
        options.Validate();
        Config config = ConfigurationFactory.ParseString(Render(options))
            .WithFallback(ConfigurationFactory.ParseString(ManagementHocon.Render(options)))
            .WithFallback(ContractSerialization.Config(options.MaximumFrameSize))
            // Singleton settings and its message serializer must be known when the system starts: bindings added
            // later (InjectTopLevelFallback) are not seen by the already-built serialization registry.
            .WithFallback(ClusterSingleton.DefaultConfig());
        if (options.Management.Enabled)
        {
            config = config.WithFallback(AkkaManagementProvider.DefaultConfiguration()).WithFallback(DiscoveryProvider.DefaultConfiguration());
        }
        return overrides is null ? config : overrides.WithFallback(config);
    }

    /// <summary>The HOCON text for the options (without the serializer section); handy for logs and review.</summary>
    public static string Render(ClusterNodeOptions options)
    {
        string seeds = string.Join(", ", options.EffectiveSeeds.Select(Quote));
        string roles = string.Join(", ", options.Roles.Select(Quote));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            akka {
              loglevel = INFO
              # Before the Serilog logger actor starts and after it stops (shutdown) Akka uses its minimal logger;
              # this one hands those lines to Serilog too instead of printing them in Akka's own format.
              stdout-logger-class = {{Quote(SerilogMinimalLogger.TypeName)}}
              loggers = [{{Quote(SerilogLogger.TypeName)}}]
              logger-startup-timeout = 10s
              actor.provider = cluster
              remote {
                # Peers leaving is routine here (the cluster logs membership); Akka would log each closed
                # association as an error with a stack trace.
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = {{Quote(options.Hostname)}}
                  public-hostname = {{Quote(options.EffectivePublicHostname)}}
                  port = {{options.Port}}
                  maximum-frame-size = {{options.MaximumFrameSize}}b
                  send-buffer-size = {{options.SendBufferSize}}b
                  receive-buffer-size = {{options.ReceiveBufferSize}}b
                  # Flush every write: the ring all-reduce and the round barrier are chains of dependent messages, and
                  # batching holds a quiet channel's small writes up to 40 ms (rollout chunks are large either way).
                  batching.enabled = {{(options.BatchWrites ? "true" : "false")}}
                }
              }
              cluster {
                seed-nodes = [{{seeds}}]
                roles = [{{roles}}]
                min-nr-of-members = {{options.MinimumMembers}}
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  stable-after = {{Milliseconds(options.StableAfter)}}
                  down-all-when-unstable = {{(options.DownAllWhenUnstable ? "on" : "off")}}
                }
                # A downed node shuts its ActorSystem down; the host then exits non-zero and Kubernetes restarts it.
                run-coordinated-shutdown-when-down = on
                # Akka.NET's identification-failure warning fires at every proxy start, before the first Identify can
                # answer (akkadotnet/akka.net#8568); a simulation node logs itself while it waits for a learner.
                singleton-proxy.log-singleton-identification-failure = off
              }
              coordinated-shutdown {
                # SIGTERM is handled by ShutdownSignals; this hook also covers a plain process exit.
                run-by-clr-shutdown-hook = on
                exit-clr = off
                phases {
                  # The learner checkpoints here (after any running PPO update); empty on other nodes.
                  before-cluster-shutdown.timeout = 30s
                  cluster-leave.timeout = 10s
                  cluster-exiting.timeout = 10s
                  actor-system-terminate.timeout = 10s
                }
              }
            }
            """);
        return text.ToString();
    }

    private static string Milliseconds(TimeSpan value)
    {
        return ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
    }

    private static string Quote(string value)
    {
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
