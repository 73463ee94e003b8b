using System.Security.Cryptography.X509Certificates;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace MsMano.Cluster.Tls;

/// <summary>
/// Node-to-node mutual TLS for Akka.Remote with the cluster certificate: every connection is TLS, both ends present
/// the certificate, and each end accepts only a peer whose certificate is the cluster's own (pinned by SHA-1
/// thumbprint, since a self-signed certificate has no chain to check). A process without the certificate and its
/// key cannot complete a handshake, so it can neither join nor send a single message.
/// </summary>
public sealed class ClusterTls
{
    private ClusterTls(X509Certificate2 certificate, string source)
    {
        Certificate = certificate;
        Source = source;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Where the certificate came from (a file path, or "generated"), for logs.</summary>
    public string Source { get; }

    /// <summary>A fresh certificate for one in-process cluster (embedded, tests); it never leaves memory.</summary>
    public static ClusterTls Generate()
    {
        return new ClusterTls(ClusterCertificate.Generate(TimeSpan.FromDays(7)), "generated");
    }

    public static ClusterTls FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new ClusterTls(certificate, "given");
    }

    /// <summary>Loads the PKCS#12 file (a mounted Kubernetes Secret); the password is the first line of <paramref name="passwordFile"/> when given.</summary>
    public static ClusterTls FromFile(string path, string? passwordFile, string setting)
    {
        string? password = null;
        if (!string.IsNullOrWhiteSpace(passwordFile))
        {
            string fullPassword = Path.GetFullPath(passwordFile);
            if (!File.Exists(fullPassword))
            {
                throw new Options.ClusterConfigurationException(setting + "PasswordFile", fullPassword, "the file does not exist");
            }
            password = File.ReadLines(fullPassword).FirstOrDefault()?.TrimEnd('\r') ?? "";
        }
        return new ClusterTls(ClusterCertificate.Load(path, password, setting), Path.GetFullPath(path));
    }

    /// <summary>The remoting TLS settings (HOCON); the certificate itself travels in <see cref="Setup"/>.</summary>
    public static Config Hocon()
    {
        return ConfigurationFactory.ParseString(HoconText);
    }

    /// <summary>The HOCON text, for logs and review.</summary>
    public const string HoconText = """
        akka.remote.dot-netty.tcp {
          enable-ssl = on
          ssl {
            # Both ends present the cluster certificate; the pinned-thumbprint validator (ClusterTls.Setup) checks it.
            require-mutual-authentication = on
            suppress-validation = off
            # Pods are addressed by DNS name or IP; the pin, not the name, identifies a member.
            validate-certificate-hostname = off
          }
        }
        """;

    /// <summary>The certificate and the validator that accepts only a peer presenting this same certificate.</summary>
    public Setup Setup()
    {
        return new DotNettySslSetup(
            Certificate,
            suppressValidation: false,
            requireMutualAuthentication: true,
            validateCertificateHostname: false,
            customValidator: CertificateValidation.PinnedCertificate(Certificate.Thumbprint));
    }
}
