using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace MsMano.NetFaults;

public static class Endpoints
{
    public static IPEndPoint Parse(string text) =>
        IPEndPoint.TryParse(text, out IPEndPoint? endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new FormatException($"fault-proxy: '{text}' is not IP:PORT");
}

/// <summary>
/// One listening address forwarded to one target. Each accepted connection gets its own connection to the target
/// and two pumps, one per direction. A pump stamps every read with the time it may leave (now + delay, plus a
/// retransmission timeout when one of its segments was "lost") and a writer sends it then, in order: a lost segment
/// holds back every byte behind it, which is what TCP's in-order delivery does with a real loss.
/// </summary>
public sealed class ProxyLink(IPEndPoint listen, IPEndPoint target, FaultSettings faults, ProxyCounters counters)
{
    private const int ReadBytes = 64 * 1024;
    // At most this many reads in flight per direction: a slow receiver slows the sender (back-pressure), as TCP does.
    private const int QueuedReads = 256;

    public async Task RunAsync(CancellationToken stop)
    {
        using var listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(listen);
        listener.Listen(128);
        while (!stop.IsCancellationRequested)
        {
            Socket client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            _ = Task.Run(() => ServeAsync(client, stop), stop);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        using (client)
        using (var upstream = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(stop);
                connect.CancelAfter(TimeSpan.FromSeconds(10));
                await upstream.ConnectAsync(target, connect.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return; // target unreachable (partitioned): the caller sees its connection close, as with a refused connect
            }
            Interlocked.Increment(ref counters.Connections);
            using var cut = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Task a = PumpAsync(client, upstream, cut);
            Task b = PumpAsync(upstream, client, cut);
            await Task.WhenAny(a, b).ConfigureAwait(false);
            // One side closed or failed: close both, as a TCP connection dies as a whole.
            await cut.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(a, b).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ChannelClosedException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, CancellationTokenSource cut)
    {
        var queue = Channel.CreateBounded<Segment>(new BoundedChannelOptions(QueuedReads) { SingleReader = true, SingleWriter = true });
        Task writer = WriteAsync(queue.Reader, to, cut.Token);
        long lastDue = 0;
        try
        {
            while (!cut.IsCancellationRequested)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
                int n = await from.ReceiveAsync(buffer.AsMemory(0, ReadBytes), SocketFlags.None, cut.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                FaultSettings.Snapshot f = faults.Current;
                if (f.Reset > 0 && Random.Shared.NextDouble() < f.Reset)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    Interlocked.Increment(ref counters.Resets);
                    from.LingerState = new LingerOption(true, 0); // RST, not FIN: the peer sees a broken connection
                    to.LingerState = new LingerOption(true, 0);
                    break;
                }
                long due = Environment.TickCount64 + (long)f.Delay.TotalMilliseconds;
                if (f.Loss > 0)
                {
                    int segments = (n + FaultSettings.SegmentBytes - 1) / FaultSettings.SegmentBytes;
                    // P(at least one of this read's segments lost) = 1 - (1 - loss)^segments.
                    if (Random.Shared.NextDouble() < 1 - Math.Pow(1 - f.Loss, segments))
                    {
                        due += (long)f.Retransmission.TotalMilliseconds;
                        Interlocked.Increment(ref counters.LostReads);
                    }
                    Interlocked.Add(ref counters.Segments, segments);
                }
                lastDue = Math.Max(lastDue, due); // in order: nothing overtakes a held-back segment
                Interlocked.Add(ref counters.Bytes, n);
                await queue.Writer.WriteAsync(new Segment(buffer, n, lastDue), cut.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            queue.Writer.TryComplete();
        }
        await writer.ConfigureAwait(false);
        try
        {
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task WriteAsync(ChannelReader<Segment> queue, Socket to, CancellationToken cut)
    {
        await foreach (Segment s in queue.ReadAllAsync(cut).ConfigureAwait(false))
        {
            try
            {
                long wait = s.Due - Environment.TickCount64;
                if (wait > 0)
                {
                    await Task.Delay((int)wait, cut).ConfigureAwait(false);
                }
                int sent = 0;
                while (sent < s.Length)
                {
                    sent += await to.SendAsync(s.Buffer.AsMemory(sent, s.Length - sent), SocketFlags.None, cut).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(s.Buffer);
            }
        }
    }

    private readonly record struct Segment(byte[] Buffer, int Length, long Due);
}
