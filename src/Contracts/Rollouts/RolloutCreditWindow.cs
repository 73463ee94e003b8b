namespace MsMano.Contracts.Rollouts;

/// <summary>
/// Sender-side flow control for one simulation actor: hands out chunk sequence numbers while fewer than the
/// granted window are unacknowledged. Not thread-safe: it lives inside one actor.
/// </summary>
public sealed class RolloutCreditWindow
{
    // Sequence → the time it was sent, so chunks the transport lost can be written off after a timeout.
    private readonly Dictionary<long, long> _inFlight = new();
    private long _nextSequence;

    public RolloutCreditWindow(int initialWindow)
    {
        if (initialWindow < 0 || initialWindow > RolloutAck.MaxWindow)
        {
            throw new ArgumentOutOfRangeException(
                nameof(initialWindow), initialWindow, $"initialWindow must lie in [0, {RolloutAck.MaxWindow}]");
        }
        Window = initialWindow;
    }

    /// <summary>The most chunks that may be unacknowledged; the learner changes it with every ack.</summary>
    public int Window { get; private set; }

    public int InFlight => _inFlight.Count;

    public bool CanSend => _inFlight.Count < Window;

    /// <summary>The sequence number the next reserved chunk gets.</summary>
    public long NextSequence => _nextSequence;

    /// <summary>Reserves the next sequence number for a chunk about to be sent at <paramref name="nowTicks"/>.</summary>
    public long Reserve(long nowTicks)
    {
        if (!CanSend)
        {
            throw new InvalidOperationException($"No credit: {InFlight} chunks in flight with a window of {Window}.");
        }
        long sequence = _nextSequence++;
        _inFlight.Add(sequence, nowTicks);
        return sequence;
    }

    /// <summary>Applies an ack: frees its chunk and adopts the window it grants. Returns false for an unknown or
    /// repeated sequence (the window is adopted anyway: acks arrive in order, so the latest one is current).</summary>
    public bool Acknowledge(RolloutAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        Window = ack.Window;
        return _inFlight.Remove(ack.Sequence);
    }

    /// <summary>Writes off chunks sent before <paramref name="cutoffTicks"/> as lost; returns how many.</summary>
    public int ExpireSentBefore(long cutoffTicks)
    {
        int expired = 0;
        foreach ((long sequence, long sentAt) in _inFlight)
        {
            if (sentAt < cutoffTicks)
            {
                _inFlight.Remove(sequence);
                expired++;
            }
        }
        return expired;
    }
}
