using MsMano.Cluster.Simulation;
using MsMano.Contracts.Rollouts;

namespace MsMano.Cluster.Tests.Simulation;

public sealed class CreditLedgerTests
{
    [Fact]
    public void A_reset_grants_the_initial_window_again_and_sequences_keep_increasing()
    {
        var ledger = new CreditLedger(initialWindow: 2, nowTicks: 0);
        Assert.Equal(0, ledger.Reserve(1));
        Assert.Equal(1, ledger.Reserve(1));
        Assert.False(ledger.CanSend);

        ledger.Reset(nowTicks: 5);

        Assert.True(ledger.CanSend);
        Assert.Equal(0, ledger.InFlight);
        Assert.Equal(2, ledger.Reserve(6));
    }

    [Fact]
    public void Acks_from_before_a_reset_are_ignored()
    {
        var ledger = new CreditLedger(initialWindow: 2, nowTicks: 0);
        ledger.Reserve(1);
        ledger.Reset(nowTicks: 2);
        long current = ledger.Reserve(3);

        Assert.False(ledger.Acknowledge(new RolloutAck("n", 0, 0, 0), nowTicks: 4));
        Assert.Equal(2, ledger.Window);
        Assert.True(ledger.Acknowledge(new RolloutAck("n", 0, current, 5), nowTicks: 4));
        Assert.Equal((0, 5, 4L), (ledger.InFlight, ledger.Window, ledger.LastAckTicks));
    }

    [Fact]
    public void Chunks_sent_before_the_cutoff_expire()
    {
        var ledger = new CreditLedger(initialWindow: 3, nowTicks: 0);
        ledger.Reserve(10);
        ledger.Reserve(20);
        ledger.Reserve(30);

        Assert.Equal(2, ledger.ExpireSentBefore(25));
        Assert.Equal(1, ledger.InFlight);
    }
}
