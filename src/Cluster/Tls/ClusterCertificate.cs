using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MsMano.Cluster.Tls;

/// <summary>
/// The cluster certificate: one self-signed ECDSA P-256 certificate (server and client authentication) that every
/// node of a cluster holds with its key and pins, so only a process given it can open or accept a remoting
/// connection. Generated in memory for <c>embedded</c> and tests, written as a PKCS#12 file for Kubernetes.
/// </summary>
public static class ClusterCertificate
{
    public const string DefaultSubject = "CN=msmano-cluster";

    /// <summary>A fresh certificate with its private key, valid from a minute ago for <paramref name="validity"/>.</summary>
    public static X509Certificate2 Generate(TimeSpan validity, string subject = DefaultSubject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // serverAuth, clientAuth
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("msmano-cluster");
        request.CertificateExtensions.Add(names.Build());
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 created = request.CreateSelfSigned(now.AddMinutes(-1), now.Add(validity));
        // A round trip through PKCS#12 gives a key every TLS stack can use (an ephemeral CNG/OpenSSL key may not be).
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>Writes <paramref name="certificate"/> with its key as PKCS#12, readable by the owner only.</summary>
    public static void WritePkcs12(X509Certificate2 certificate, string path, string? password)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        byte[] bytes = certificate.Export(X509ContentType.Pkcs12, password);
        using var stream = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.None);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        stream.Write(bytes);
    }

    /// <summary>Loads a PKCS#12 file; throws <see cref="Options.ClusterConfigurationException"/> naming the file when it is unusable.</summary>
    public static X509Certificate2 Load(string path, string? password, string setting)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new Options.ClusterConfigurationException(setting, full, "the file does not exist");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(full, password, X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException ex)
        {
            throw new Options.ClusterConfigurationException(setting, full, $"not a PKCS#12 file this password opens ({ex.Message.Trim()})");
        }
        if (!certificate.HasPrivateKey)
        {
            throw new Options.ClusterConfigurationException(setting, full, "the certificate has no private key");
        }
        if (certificate.NotAfter.ToUniversalTime() < DateTime.UtcNow)
        {
            throw new Options.ClusterConfigurationException(setting, full, $"the certificate expired on {certificate.NotAfter:u}");
        }
        return certificate;
    }
}
