using Akka.Configuration;
using MsMano.Cluster.Hocon;
using MsMano.Cluster.Options;
using MsMano.Contracts.Serialization;

namespace MsMano.Cluster.Tests.Hocon;

public sealed class ClusterHoconTests
{
    [Fact]
    public void The_options_land_on_the_akka_keys_they_configure()
    {
        var options = new ClusterNodeOptions
        {
            Roles = ["sim"],
            PublicHostname = "sim-3.sim",
            Seeds = ["akka.tcp://msmano@sim-0.sim:4053", "akka.tcp://msmano@learner-0.learner:4053"],
            StableAfter = TimeSpan.FromSeconds(7.5),
            MinimumMembers = 3,
        };

        Config config = ClusterHocon.Build(options);

        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("0.0.0.0", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("sim-3.sim", config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(256_000, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(512_000, config.GetByteSize("akka.remote.dot-netty.tcp.send-buffer-size"));
        Assert.Equal(512_000, config.GetByteSize("akka.remote.dot-netty.tcp.receive-buffer-size"));
        Assert.Equal(options.Seeds, config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["sim"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal(3, config.GetInt("akka.cluster.min-nr-of-members"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(7.5), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.True(config.GetBoolean("akka.cluster.run-coordinated-shutdown-when-down"));
        // Off because it fires falsely at every proxy start (akkadotnet/akka.net#8568); the sim node warns instead.
        Assert.False(config.GetBoolean("akka.cluster.singleton-proxy.log-singleton-identification-failure", true));
        Assert.True(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        Assert.Contains("SerilogLogger", config.GetStringList("akka.loggers").Single());
    }

    [Fact]
    public void The_contract_serializer_is_bound_with_the_frame_size_as_its_payload_limit()
    {
        Config config = ClusterHocon.Build(ClusterNodeOptions.Local(ClusterRoles.Learner) with { MaximumFrameSize = 300_000, SendBufferSize = 600_000, ReceiveBufferSize = 600_000 });

        Assert.StartsWith(typeof(ContractSerializer).FullName!, config.GetString($"akka.actor.serializers.{ContractSerialization.SerializerName}"));
        Assert.Equal(300_000, config.GetByteSize($"{ContractSerialization.SettingsPath}.max-payload-bytes"));
        Assert.Equal(ContractSerialization.SerializerName, config.GetString("akka.actor.serialization-bindings.\"MsMano.Contracts.Messaging.IClusterMessage, MsMano.Contracts\""));
    }

    [Fact]
    public void Overrides_win_over_the_generated_settings()
    {
        Config overrides = ConfigurationFactory.ParseString("akka.loglevel = DEBUG");
        Config config = ClusterHocon.Build(ClusterNodeOptions.Local(ClusterRoles.Sim), overrides);

        Assert.Equal("DEBUG", config.GetString("akka.loglevel"));
        Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
    }

    [Fact]
    public void Quotes_in_values_cannot_break_out_of_the_hocon_string()
    {
        ClusterNodeOptions options = ClusterNodeOptions.Local(ClusterRoles.Sim) with { PublicHostname = "a\"b" };
        Assert.Equal("a\"b", ClusterHocon.Build(options).GetString("akka.remote.dot-netty.tcp.public-hostname"));
    }

    [Fact]
    public void Invalid_options_never_reach_akka()
    {
        Assert.Throws<ClusterConfigurationException>(() => ClusterHocon.Build(new ClusterNodeOptions { Roles = ["sim"], Port = -1 }));
    }

    [Fact]
    public void Every_node_knows_the_singleton_settings_and_gives_the_learner_checkpoint_time_before_leaving()
    {
        Config config = ClusterHocon.Build(ClusterNodeOptions.Local(ClusterRoles.Sim));

        Assert.Equal("singleton", config.GetString("akka.cluster.singleton.singleton-name"));
        Assert.True(config.HasPath("akka.cluster.singleton-proxy.buffer-size"));
        Assert.Contains("ClusterSingletonMessageSerializer", config.GetString("akka.actor.serializers.akka-singleton"));
        Assert.Equal(TimeSpan.FromSeconds(30), config.GetTimeSpan("akka.coordinated-shutdown.phases.before-cluster-shutdown.timeout"));
        Assert.False(config.GetBoolean("akka.remote.log-remote-lifecycle-events"));
    }
}
