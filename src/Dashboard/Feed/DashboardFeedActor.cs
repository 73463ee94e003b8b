using Akka.Actor;
using MsMano.Contracts.Monitoring;
using MsMano.Dashboard.State;

namespace MsMano.Dashboard.Feed;

/// <summary>
/// Copies what the trainer publishes on its node's EventStream into <see cref="DashboardState"/>. Thin on purpose: the
/// actor only stores references; JSON is built on the HTTP threads, so training never waits on a browser.
/// </summary>
public sealed class DashboardFeedActor : ReceiveActor
{
    public DashboardFeedActor(DashboardState state)
    {
        Receive<TrainingSnapshot>(state.Record);
    }
}

/// <summary>Starts the feed actor on a node.</summary>
public static class DashboardFeed
{
    /// <summary>Starts the feed on <paramref name="system"/> and subscribes it to training snapshots.</summary>
    public static IActorRef Start(ActorSystem system, DashboardState state)
    {
        IActorRef feed = system.ActorOf(Props.Create(() => new DashboardFeedActor(state)), "dashboard-feed");
        system.EventStream.Subscribe(feed, typeof(TrainingSnapshot));
        return feed;
    }
}
