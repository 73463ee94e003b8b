using Akka.Actor;
using Akka.Event;

namespace MsMano.Cluster.Trust;

/// <summary>
/// One actor's door for one kind of message: the actor states whether a sender may deliver it (from
/// <see cref="ClusterMembers"/> or its own registry), the gate counts and logs every refusal. Logging is bounded: the
/// first refusal from each address is a warning, then one every <see cref="LogEvery"/> refusals, so a flood cannot
/// flood the log too.
/// </summary>
public sealed class SenderGate
{
    public const int LogEvery = 1000;

    private readonly string _what;
    private readonly ILoggingAdapter _log;
    private readonly Dictionary<Address, long> _refusedBy = [];

    public SenderGate(string what, ILoggingAdapter log)
    {
        _what = what;
        _log = log;
    }

    /// <summary>Refusals so far.</summary>
    public long Refused { get; private set; }

    /// <summary>True when <paramref name="allowed"/>; otherwise counts and logs the attempt with <paramref name="reason"/>.</summary>
    public bool Admit(IActorRef sender, bool allowed, string reason)
    {
        if (allowed)
        {
            return true;
        }
        Refused++;
        Address from = sender.Path.Address;
        long count = _refusedBy.TryGetValue(from, out long n) ? n + 1 : 1;
        if (_refusedBy.Count < 10_000 || _refusedBy.ContainsKey(from))
        {
            _refusedBy[from] = count;
        }
        if (count == 1 || count % LogEvery == 0)
        {
            _log.Warning("Refused {0} from {1} ({2}; {3} from this address, {4} in all)", _what, sender.Path, reason, count, Refused);
        }
        return false;
    }
}
