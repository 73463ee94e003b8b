using System.CommandLine;
using MsMano.Cli.Commands;
using MsMano.Cluster.Options;
using MsMano.Cluster.Tls;

namespace MsMano.Cli.Tests.Trust;

/// <summary>
/// <c>learner</c> and <c>sim</c> take the cluster certificate as flags (<c>--tls-certificate</c>,
/// <c>--tls-password-file</c>) on the one configuration path the <c>MSMANO__CLUSTER__TLS*</c> variables take: the
/// same settings either way, the flag winning, and a missing file is one line naming the setting and the file.
/// </summary>
[Collection("Processes")]
public sealed class TlsFlagTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("msmano-tls-flag-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("learner")]
    [InlineData("sim")]
    public void The_node_commands_take_the_tls_flags(string name)
    {
        Command command = Program.CreateRoot().Subcommands.Single(c => c.Name == name);
        Assert.Contains(command.Options, o => o.Name == "--tls-certificate");
        Assert.Contains(command.Options, o => o.Name == "--tls-password-file");
    }

    [Fact]
    public void The_flags_and_the_environment_variables_give_the_same_settings_and_the_flag_wins()
    {
        (string pfx, string password) = WriteCertificate("cluster", "s3cret");
        (string otherPfx, string otherPassword) = WriteCertificate("other", "0ther");

        ClusterNodeOptions byFlag = Bind(["--tls-certificate", pfx, "--tls-password-file", password], new Dictionary<string, string>());
        ClusterNodeOptions byVariable = Bind([], new Dictionary<string, string>
        {
            ["MSMANO__CLUSTER__TLSCERTIFICATE"] = pfx,
            ["MSMANO__CLUSTER__TLSPASSWORDFILE"] = password,
        });
        ClusterNodeOptions both = Bind(["--tls-certificate", pfx, "--tls-password-file", password], new Dictionary<string, string>
        {
            ["MSMANO__CLUSTER__TLSCERTIFICATE"] = otherPfx,
            ["MSMANO__CLUSTER__TLSPASSWORDFILE"] = otherPassword,
        });

        Assert.NotNull(byFlag.Tls);
        Assert.Equal((byVariable.Tls!.Certificate.Thumbprint, byVariable.Tls.Source), (byFlag.Tls!.Certificate.Thumbprint, byFlag.Tls.Source));
        Assert.Equal(byFlag.Tls.Certificate.Thumbprint, both.Tls!.Certificate.Thumbprint);
        Assert.Null(Bind([], new Dictionary<string, string>()).Tls);
    }

    [Fact]
    public void A_wrong_password_file_is_refused_naming_the_setting_and_the_file()
    {
        (string pfx, _) = WriteCertificate("cluster", "s3cret");
        string wrong = Path.Combine(_directory, "wrong");
        File.WriteAllText(wrong, "not-it\n");

        ClusterConfigurationException ex = Assert.Throws<ClusterConfigurationException>(() => Bind(["--tls-certificate", pfx, "--tls-password-file", wrong], new Dictionary<string, string>()));
        Assert.Contains(ClusterNodeOptionsBinder.TlsCertificateKey, ex.Message);
        Assert.Contains(pfx, ex.Message);
    }

    [Theory]
    [InlineData("learner")]
    [InlineData("sim")]
    public async Task The_binary_refuses_a_missing_certificate_in_one_line_with_exit_code_2(string command)
    {
        string missing = Path.Combine(_directory, "no-such.pfx");

        using var run = MsmanoProcess.Start(null, command, "--port", "0", "--hostname", "127.0.0.1", "--tls-certificate", missing);

        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(1)), run.Output);
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("msmano: error:", StringComparison.Ordinal));
        Assert.Contains(ClusterNodeOptionsBinder.TlsCertificateKey, line);
        Assert.Contains(missing, line);
    }

    // The sim command's own flags, parsed and mapped as the binary does, with the given variables as the environment.
    private static ClusterNodeOptions Bind(string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var flags = new SimNodeFlags();
        var command = new Command("sim");
        foreach (Option option in flags.All)
        {
            command.Options.Add(option);
        }
        ParseResult parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return ClusterNodeOptionsBinder.Bind(flags.Configuration(parse, [], environment), ClusterNodeOptions.Local(ClusterRoles.Sim));
    }

    private (string Pfx, string PasswordFile) WriteCertificate(string name, string password)
    {
        string pfx = Path.Combine(_directory, name + ".pfx");
        string passwordFile = Path.Combine(_directory, name + ".password");
        ClusterCertificate.WritePkcs12(ClusterTls.Generate().Certificate, pfx, password);
        File.WriteAllText(passwordFile, password + "\n");
        return (pfx, passwordFile);
    }
}
