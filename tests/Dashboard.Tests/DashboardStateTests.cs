using MsMano.Contracts.Monitoring;
using MsMano.Dashboard.State;

namespace MsMano.Dashboard.Tests;

/// <summary>The dashboard's store: one reward point per update, non-finite samples kept off the curves, bounded histories.</summary>
public sealed class DashboardStateTests
{
    [Fact]
    public void One_point_per_update_no_non_finite_reward_and_bounded_history()
    {
        var state = new DashboardState();
        long revision = state.Revision;
        state.Record(Snapshot(updates: 1, reward: 0.2));
        state.Record(Snapshot(updates: 1, reward: 0.2)); // a tick without an update
        state.Record(Snapshot(updates: 2, reward: double.NaN));
        state.Record(Snapshot(updates: 3, reward: 0.4, kl: double.PositiveInfinity));
        Assert.Equal([1L, 3L], state.UpdateHistory().Select(p => p.Update));
        Assert.Null(state.UpdateHistory()[1].ApproxKl);
        Assert.Equal(4, state.ThroughputHistory().Count);
        Assert.Equal(revision + 4, state.Revision);
        for (int u = 4; u < DashboardState.MaxUpdatePoints + 100; u++)
        {
            state.Record(Snapshot(u, 0.5));
        }
        Assert.Equal(DashboardState.MaxUpdatePoints, state.UpdateHistory().Count);
        Assert.Equal(DashboardState.MaxThroughputPoints, state.ThroughputHistory().Count);
    }

    [Fact]
    public async Task A_waiting_event_stream_wakes_on_the_next_change()
    {
        var state = new DashboardState();
        Task wait = state.WaitForChangeAsync(state.Revision, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        state.Record(Snapshot(1, 0.1));
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static TrainingSnapshot Snapshot(long updates, double reward, double kl = 0.01) => new(
        "learner", updates, updates, updates * 1024, reward, kl, 1, 2, 100,
        [new SimulationNodeSnapshot("sim-1", "akka.tcp://msmano@127.0.0.1:1", 1, 64, 1000, updates, 0.1)], null, null, false);
}
