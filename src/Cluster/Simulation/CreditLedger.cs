using MsMano.Contracts.Rollouts;

namespace MsMano.Cluster.Simulation;

/// <summary>
/// A <see cref="RolloutCreditWindow"/> that can be reset to its initial credit (a new learner incarnation, or a
/// window of 0 that nobody reopened) without reusing sequence numbers: each reset starts a new epoch whose
/// sequences continue after the old ones, and late acks from an earlier epoch are ignored.
/// </summary>
public sealed class CreditLedger
{
    private readonly int _initialWindow;
    private RolloutCreditWindow _window;
    private long _base;

    public CreditLedger(int initialWindow, long nowTicks)
    {
        _initialWindow = initialWindow;
        _window = new RolloutCreditWindow(initialWindow);
        LastAckTicks = nowTicks;
    }

    public bool CanSend => _window.CanSend;

    public int InFlight => _window.InFlight;

    public int Window => _window.Window;

    /// <summary>When the last ack of the current epoch arrived (or the epoch began).</summary>
    public long LastAckTicks { get; private set; }

    public long Reserve(long nowTicks)
    {
        return _base + _window.Reserve(nowTicks);
    }

    /// <summary>Applies an ack of the current epoch; true when it freed a chunk in flight.</summary>
    public bool Acknowledge(RolloutAck ack, long nowTicks)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (ack.Sequence < _base)
        {
            return false;
        }
        LastAckTicks = nowTicks;
        return _window.Acknowledge(ack with { Sequence = ack.Sequence - _base });
    }

    public int ExpireSentBefore(long cutoffTicks)
    {
        return _window.ExpireSentBefore(cutoffTicks);
    }

    /// <summary>Forgets everything in flight and grants the initial window again.</summary>
    public void Reset(long nowTicks)
    {
        _base += _window.NextSequence;
        _window = new RolloutCreditWindow(_initialWindow);
        LastAckTicks = nowTicks;
    }
}
