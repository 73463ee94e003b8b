using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using MsMano.Cluster.Tests.Specs;
using MsMano.Cluster.Tls;

namespace MsMano.Cluster.Tests.Trust;

/// <summary>Real nodes over loopback TCP with mutual TLS: only a process holding the cluster certificate joins.</summary>
public sealed class ClusterTlsSpec
{
    private static readonly Config s_quiet = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = off
        akka.loglevel = WARNING
        """).WithFallback(TestNodes.Overrides);

    private static readonly TimeSpan s_refusedFor = TimeSpan.FromSeconds(8);

    public static TheoryData<string> Intruders => new() { "no-tls", "other-certificate" };

    [Theory]
    [MemberData(nameof(Intruders))]
    public async Task A_process_without_the_cluster_certificate_cannot_join(string intruder)
    {
        var tls = ClusterTls.Generate();
        await using LocalCluster cluster = await LocalCluster.StartAsync(
            [ClusterNodeOptions.Local(ClusterRoles.Learner) with { Tls = tls }, ClusterNodeOptions.Local(ClusterRoles.Sim) with { Tls = tls }],
            TestNodes.FormationTimeout, s_quiet);
        ActorSystem learner = cluster.Nodes[0];
        string seed = Akka.Cluster.Cluster.Get(learner).SelfAddress.ToString();

        ClusterTls? intruderTls = intruder == "no-tls" ? null : ClusterTls.Generate();
        if (intruderTls is null)
        {
            seed = seed.Replace("akka.ssl.tcp://", "akka.tcp://", StringComparison.Ordinal); // plain TCP to the TLS port
        }
        ActorSystem rogue = ClusterNode.Start(ClusterNodeOptions.Local(ClusterRoles.Learner) with { Seeds = [seed], Tls = intruderTls }, s_quiet);
        try
        {
            Task joined = ClusterNode.WhenUpAsync(rogue, s_refusedFor);
            await Assert.ThrowsAsync<TimeoutException>(() => joined);
            Assert.Equal(2, Akka.Cluster.Cluster.Get(learner).State.Members.Count);

            // Nor can it deliver a single message: an Identify to the learner's node gets no answer.
            ActorIdentity? identity = null;
            try
            {
                identity = await rogue.ActorSelection($"{seed}/system").Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(3));
            }
            catch (AskTimeoutException)
            {
            }
            Assert.True(identity?.Subject is null, $"the learner's node answered the intruder: {identity?.Subject}");
        }
        finally
        {
            await rogue.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task A_process_with_the_cluster_certificate_file_joins()
    {
        var tls = ClusterTls.Generate();
        string directory = Path.Combine(Path.GetTempPath(), "msmano-tls-" + Guid.NewGuid().ToString("N"));
        string pfx = Path.Combine(directory, "cluster.pfx");
        string password = Path.Combine(directory, "password");
        Directory.CreateDirectory(directory);
        try
        {
            ClusterCertificate.WritePkcs12(tls.Certificate, pfx, "s3cret");
            File.WriteAllText(password, "s3cret\n");
            await using LocalCluster cluster = await LocalCluster.StartAsync(
                [ClusterNodeOptions.Local(ClusterRoles.Learner) with { Tls = tls }], TestNodes.FormationTimeout, s_quiet);
            string seed = Akka.Cluster.Cluster.Get(cluster.Nodes[0]).SelfAddress.ToString();

            IConfigurationRoot configuration = MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine(
                ["--tls-certificate", pfx, "--tls-password-file", password], new Dictionary<string, string>());
            ClusterNodeOptions fromFile = ClusterNodeOptionsBinder.Bind(configuration, ClusterNodeOptions.Local(ClusterRoles.Sim) with { Seeds = [seed] });
            Assert.Equal(tls.Certificate.Thumbprint, fromFile.Tls!.Certificate.Thumbprint);
            ActorSystem member = ClusterNode.Start(fromFile, s_quiet);
            try
            {
                await ClusterNode.WhenUpAsync(member, TestNodes.FormationTimeout);
            }
            finally
            {
                await member.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_wrong_password_or_missing_file_names_the_setting_and_the_file()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".pfx");
        IConfigurationRoot configuration = MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine(["--tls-certificate", missing], new Dictionary<string, string>());
        ClusterConfigurationException ex = Assert.Throws<ClusterConfigurationException>(() => ClusterNodeOptionsBinder.Bind(configuration, ClusterNodeOptions.Local(ClusterRoles.Sim)));
        Assert.Contains("TlsCertificate", ex.Message);
        Assert.Contains(missing, ex.Message);
    }
}
