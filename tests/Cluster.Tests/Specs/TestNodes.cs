using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;

namespace MsMano.Cluster.Tests.Specs;

/// <summary>Settings and helpers shared by the multi-ActorSystem specs.</summary>
internal static class TestNodes
{
    public static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// TestEventListener so EventFilter can assert log lines; serialize-messages so even local sends go through
    /// the contract serializer.
    /// </summary>
    public static readonly Config Overrides = ConfigurationFactory.ParseString("""
        akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
        akka.actor.serialize-messages = on
        akka.remote.log-remote-lifecycle-events = off
        """);

    /// <summary>A ref to <paramref name="probe"/> (living in <paramref name="owner"/>) as seen from <paramref name="from"/>, over remoting.</summary>
    public static async Task<IActorRef> RemoteRefAsync(ActorSystem from, ActorSystem owner, TestProbe probe)
    {
        Address ownerAddress = Akka.Cluster.Cluster.Get(owner).SelfAddress;
        string path = probe.Ref.Path.ToStringWithAddress(ownerAddress);
        IActorRef remote = await from.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(5));
        Assert.Equal(ownerAddress, remote.Path.Address);
        return remote;
    }
}
