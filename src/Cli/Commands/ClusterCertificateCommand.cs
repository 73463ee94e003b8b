using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MsMano.Cluster.Tls;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>`cluster-cert`: writes a new cluster certificate (PKCS#12 with its key) and a random password file for the Kubernetes Secret.</summary>
public static class ClusterCertificateCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for cluster.pfx and password.txt (owner-readable only).", DefaultValueFactory = _ => "cluster-tls" };
        var days = new Option<int>("--days") { Description = "Validity in days.", DefaultValueFactory = _ => 365 };
        var command = new Command("cluster-cert", "Generate the cluster certificate every node must hold to join (node-to-node mutual TLS).") { output, days };
        command.SetAction(parse =>
        {
            int validity = parse.GetValue(days);
            if (validity is < 1 or > 3650)
            {
                throw new ArgumentException($"--days is {validity}; give a number in [1, 3650].");
            }
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            using X509Certificate2 certificate = ClusterCertificate.Generate(TimeSpan.FromDays(validity));
            ClusterCertificate.WritePkcs12(certificate, Path.Combine(folder, "cluster.pfx"), password);
            string passwordPath = Path.Combine(folder, "password.txt");
            File.WriteAllText(passwordPath, password + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            Log.Information("Cluster certificate {Thumbprint} (valid until {NotAfter:u}) written to {Folder}: cluster.pfx, password.txt",
                certificate.Thumbprint, certificate.NotAfter, folder);
            return 0;
        });
        return command;
    }
}
