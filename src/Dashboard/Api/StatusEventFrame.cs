using System.Text;
using System.Text.Json;
using Akka.Actor;
using MsMano.Dashboard.State;

namespace MsMano.Dashboard.Api;

/// <summary>
/// The Server-Sent <c>status</c> event for the state's current revision, built once and shared by every open stream:
/// N viewers cost one serialisation per change, not N, and nothing is built while no one watches.
/// </summary>
public sealed class StatusEventFrame(ActorSystem system, DashboardState state, JsonSerializerOptions json)
{
    private static readonly byte[] s_head = Encoding.UTF8.GetBytes("event: status\ndata: ");
    private static readonly byte[] s_tail = Encoding.UTF8.GetBytes("\n\n");

    private readonly object _gate = new();
    private long _revision = -1;
    private byte[] _frame = [];

    /// <summary>Frames built so far (one per revision some stream asked for).</summary>
    public long Built { get; private set; }

    /// <summary>The frame for the current revision (built on first ask) and that revision.</summary>
    public (byte[] Frame, long Revision) Current()
    {
        lock (_gate)
        {
            long revision = state.Revision;
            if (revision != _revision)
            {
                byte[] payload = JsonSerializer.SerializeToUtf8Bytes(StatusViews.Status(system, state), json);
                byte[] frame = new byte[s_head.Length + payload.Length + s_tail.Length];
                s_head.CopyTo(frame, 0);
                payload.CopyTo(frame, s_head.Length);
                s_tail.CopyTo(frame, s_head.Length + payload.Length);
                _frame = frame;
                _revision = revision;
                Built++;
            }
            return (_frame, _revision);
        }
    }
}
