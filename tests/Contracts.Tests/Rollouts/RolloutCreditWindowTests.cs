using MsMano.Contracts.Rollouts;

namespace MsMano.Contracts.Tests.Rollouts;

public sealed class RolloutCreditWindowTests
{
    [Fact]
    public void A_sender_holds_at_most_the_window_of_unacknowledged_chunks()
    {
        var window = new RolloutCreditWindow(initialWindow: 2);

        Assert.Equal(0, window.Reserve(nowTicks: 0));
        Assert.Equal(1, window.Reserve(nowTicks: 0));
        Assert.False(window.CanSend);
        Assert.Throws<InvalidOperationException>(() => window.Reserve(0));

        Assert.True(window.Acknowledge(new RolloutAck("sim-0", 0, 0, 2)));
        Assert.True(window.CanSend);
        Assert.Equal(2, window.Reserve(0));
    }

    [Fact]
    public void Acks_arrive_out_of_order_and_repeats_are_harmless()
    {
        var window = new RolloutCreditWindow(3);
        window.Reserve(0);
        window.Reserve(0);
        window.Reserve(0);

        Assert.True(window.Acknowledge(new RolloutAck("sim-0", 0, 2, 3)));
        Assert.False(window.Acknowledge(new RolloutAck("sim-0", 0, 2, 3)));
        Assert.Equal(2, window.InFlight);
    }

    [Fact]
    public void A_zero_window_pauses_production_until_the_learner_grants_credit_again()
    {
        var window = new RolloutCreditWindow(2);
        window.Reserve(0);
        window.Acknowledge(new RolloutAck("sim-0", 0, 0, Window: 0));

        Assert.False(window.CanSend);
        Assert.Equal(0, window.Window);

        window.Acknowledge(new RolloutAck("sim-0", 0, 99, Window: 4));
        Assert.True(window.CanSend);
    }

    [Fact]
    public void Lost_chunks_are_written_off_after_the_cutoff_so_the_window_never_stalls()
    {
        var window = new RolloutCreditWindow(2);
        window.Reserve(nowTicks: 10);
        window.Reserve(nowTicks: 20);

        Assert.Equal(1, window.ExpireSentBefore(cutoffTicks: 15));
        Assert.Equal(1, window.InFlight);
        Assert.True(window.CanSend);
        Assert.Equal(2, window.NextSequence);
    }

    [Fact]
    public void A_window_out_of_range_names_the_argument()
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutCreditWindow(-1));
        Assert.Equal("initialWindow", ex.ParamName);
    }
}
