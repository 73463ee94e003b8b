using System.Globalization;
using System.Text;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Management;

/// <summary>
/// The HOCON for the management port and cluster formation, kept apart from <see cref="Hocon.ClusterHocon"/> so
/// other sections (TLS, learning mode) can be added beside it without touching this one.
/// </summary>
public static class ManagementHocon
{
    /// <summary>Empty when management is off; otherwise akka.management (routes incl. health and metrics), bootstrap and discovery.</summary>
    public static string Render(ClusterNodeOptions node)
    {
        ManagementOptions m = node.Management;
        if (!m.Enabled)
        {
            return "";
        }
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            akka.management {
              http {
                hostname = {{Quote(m.EffectiveHostname(node))}}
                port = {{m.Port}}
                bind-hostname = {{Quote(m.BindHostname)}}
                bind-port = {{m.Port}}
                # ManagementHttpServer serves these paths itself; only bootstrap's provider is asked for its
                # routes, which tells bootstrap its own contact point.
                routes {
                  remote-address = ""
                  cluster-client-receptionist = ""
                }
              }
              cluster.bootstrap {
                new-cluster-enabled = on
                contact-point-discovery {
                  service-name = {{Quote(m.ServiceName)}}
                  discovery-method = {{DiscoveryMethod(m.Formation)}}
                  port-name = {{Quote(m.Formation == ClusterFormation.Kubernetes ? "management" : "")}}
                  required-contact-point-nr = {{m.RequiredContactPoints}}
                  stable-margin = {{Milliseconds(m.StableMargin)}}
                  interval = {{Milliseconds(m.ProbeInterval)}}
                  contact-with-all-contact-points = true
                }
                contact-point {
                  # Several nodes on one host differ only by port (config formation); never drop them.
                  filter-on-fallback-port = false
                  probe-interval = {{Milliseconds(m.ProbeInterval)}}
                }
              }
            }

            """);
        if (m.Formation == ClusterFormation.Config)
        {
            string endpoints = string.Join(", ", m.ContactPoints.Select(Quote));
            text.Append(CultureInfo.InvariantCulture, $$"""
                akka.discovery.config.services {
                  {{Quote(m.ServiceName)}} { endpoints = [{{endpoints}}] }
                }

                """);
        }
        else if (m.Formation == ClusterFormation.Kubernetes)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""
                akka.discovery.kubernetes-api {
                  pod-label-selector = {{Quote(m.PodLabelSelector)}}
                }

                """);
        }
        return text.ToString();
    }

    private static string DiscoveryMethod(ClusterFormation formation) => formation switch
    {
        ClusterFormation.Config => "config",
        ClusterFormation.Kubernetes => "kubernetes-api",
        // Unused with static seeds (bootstrap is not started), but the key must hold a valid method.
        _ => "akka.discovery",
    };

    private static string Milliseconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
