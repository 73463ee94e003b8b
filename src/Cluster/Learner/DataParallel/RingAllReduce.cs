using System.Numerics;
using System.Runtime.InteropServices;
using Akka.Actor;
using MsMano.Contracts.DataParallel;
using MsMano.Learning.DataParallel;

namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>
/// Ring all-reduce over Akka between the trainers of one attempt (Patarasuk and Yuan 2009, as in Horovod and NCCL):
/// the buffer is cut into one segment per member; N−1 reduce-scatter steps leave each member owning one summed
/// segment, N−1 all-gather steps pass the sums on. Each member sends 2(N−1)/N of the buffer, to its successor only,
/// so the bytes per member stay flat as the group grows and no node is a hub. Every segment is summed once and then
/// copied, so every member ends with the same bits.
/// </summary>
/// <remarks>
/// The PPO thread calls <see cref="Sum(float[])"/> and blocks; the trainer actor feeds <see cref="Begin"/> and
/// <see cref="Accept"/> on its own thread. Each chunk moves on to the next step as soon as it is summed (pipelined,
/// so a segment's chunks overlap across the ring); chunks of an operation this member has not begun wait in a buffer. <see cref="Abort"/> (a member gone, a newer plan) or the timeout wakes the PPO thread with
/// <see cref="ReductionAbortedException"/>.
/// </remarks>
public sealed class RingAllReduce : IAllReduce
{
    private readonly IActorRef _trainer;
    private readonly IActorRef _successor;
    private readonly TimeSpan _timeout;
    private readonly Dictionary<int, List<ReduceChunk>> _early = [];
    private Operation? _current;
    private int _nextOperation;
    private string? _aborted;

    public RingAllReduce(IActorRef trainer, IActorRef successor, int rank, int size, long round, int attempt, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        _trainer = trainer;
        _successor = successor;
        Rank = rank;
        GroupSize = size;
        Round = round;
        Attempt = attempt;
        _timeout = timeout;
    }

    public int GroupSize { get; }

    public int Rank { get; }

    public long Round { get; }

    public int Attempt { get; }

    /// <summary>Payload bytes this member has sent (for the cost model and the progress figures).</summary>
    public long BytesSent { get; private set; }

    /// <summary>Chunks this member has sent.</summary>
    public long ChunksSent { get; private set; }

    /// <summary>Wall time the PPO thread spent waiting in <see cref="Sum(float[])"/> (the update's communication share).</summary>
    public TimeSpan Waited { get; private set; }

    /// <summary>Of <see cref="Waited"/>, the time before the predecessor's first chunk came (it was still computing).</summary>
    public TimeSpan WaitedForPeers { get; private set; }

    /// <summary>Messages one member sends in one all-reduce of <paramref name="floats"/> floats over <paramref name="members"/> (segments taken as equal).</summary>
    public static int MessagesPerMember(long floats, int members)
    {
        long segmentBytes = floats * sizeof(float) / members;
        return 2 * (members - 1) * (int)Math.Max(1, (segmentBytes + ReduceChunk.MaxDataBytes - 1) / ReduceChunk.MaxDataBytes);
    }

    public void Sum(float[] buffer) => Run(buffer, sizeof(float));

    public void Sum(double[] buffer) => Run(buffer, sizeof(double));

    /// <summary>Trainer thread: starts the operation the PPO thread just posted.</summary>
    public void Begin(Operation operation)
    {
        if (_aborted is not null)
        {
            operation.Fail(_aborted);
            return;
        }
        _current = operation;
        operation.Began = System.Diagnostics.Stopwatch.GetTimestamp();
        if (GroupSize == 1)
        {
            Complete();
            return;
        }
        (int start, int length) = operation.Segment(operation.SentSegment(Rank, 0));
        int chunks = operation.ChunkCount(length);
        for (int c = 0; c < chunks; c++)
        {
            Send(operation, 0, c);
        }
        if (_early.Remove(operation.Index, out List<ReduceChunk>? waiting))
        {
            foreach (ReduceChunk chunk in waiting)
            {
                if (_current is null)
                {
                    break;
                }
                Apply(_current, chunk);
            }
        }
    }

    /// <summary>Trainer thread: a chunk from the predecessor for this attempt.</summary>
    public void Accept(ReduceChunk chunk)
    {
        if (_aborted is not null)
        {
            return;
        }
        Operation? current = _current;
        if (current is null || chunk.Operation != current.Index)
        {
            // A neighbour already in a later operation: keep its chunks until this member gets there.
            if (current is null || chunk.Operation > current.Index)
            {
                if (!_early.TryGetValue(chunk.Operation, out List<ReduceChunk>? list))
                {
                    _early[chunk.Operation] = list = [];
                }
                list.Add(chunk);
            }
            return;
        }
        Apply(current, chunk);
    }

    /// <summary>Trainer thread: abandons this attempt; a PPO thread waiting (or about to wait) gets the reason.</summary>
    public void Abort(string reason)
    {
        _aborted ??= reason;
        _current?.Fail(reason);
        _current = null;
        _early.Clear();
    }

    private void Run(Array buffer, int elementSize)
    {
        if (GroupSize == 1)
        {
            return;
        }
        var operation = new Operation(_nextOperation++, buffer, elementSize, GroupSize);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        _trainer.Tell(new RingProtocol.BeginOperation(this, operation), ActorRefs.NoSender);
        bool done = operation.Done.Wait(_timeout);
        Waited += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (!done)
        {
            _trainer.Tell(new RingProtocol.OperationTimedOut(this, operation.Index), ActorRefs.NoSender);
            throw new ReductionAbortedException(
                $"all-reduce {operation.Index} of round {Round} attempt {Attempt} timed out after {_timeout.TotalSeconds:F0} s (a ring member is gone or stalled)");
        }
        if (operation.Failure is { } failure)
        {
            throw new ReductionAbortedException(failure);
        }
    }

    // Pipelined per chunk (as NCCL does): chunk c of step s, once summed or copied here, is exactly chunk c of what
    // step s + 1 sends, so it goes on at once instead of waiting for the rest of its segment.
    private void Apply(Operation operation, ReduceChunk chunk)
    {
        int steps = 2 * (GroupSize - 1);
        if (chunk.Step >= steps)
        {
            Abort($"ring chunk for step {chunk.Step} of a {steps}-step all-reduce (members disagree on the group)");
            return;
        }
        if (!operation.MarkReceived(chunk.Step, chunk.ChunkIndex))
        {
            return;
        }
        if (chunk.Step == 0 && operation.Received == 1)
        {
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            WaitedForPeers += System.Diagnostics.Stopwatch.GetElapsedTime(operation.Began, Math.Max(now, operation.Began));
        }
        int segment = operation.ReceivedSegment(Rank, chunk.Step);
        (int start, int length) = operation.Segment(segment);
        int expectedChunks = operation.ChunkCount(length);
        if (chunk.ChunkCount != expectedChunks || chunk.ElementSize != operation.ElementSize)
        {
            Abort($"ring chunk for step {chunk.Step} has {chunk.ChunkCount} chunks of {chunk.ElementSize}-byte elements; expected {expectedChunks} of {operation.ElementSize} (members disagree on the buffer)");
            return;
        }
        int perChunk = ReduceChunk.MaxDataBytes / operation.ElementSize;
        int offset = start + chunk.ChunkIndex * perChunk;
        int count = chunk.Data.Length / operation.ElementSize;
        if (chunk.ChunkIndex >= expectedChunks || offset + count > start + length)
        {
            Abort($"ring chunk {chunk.ChunkIndex} of step {chunk.Step} overruns its segment");
            return;
        }
        bool reduce = chunk.Step < GroupSize - 1;
        if (operation.ElementSize == sizeof(float))
        {
            Combine(((float[])operation.Buffer).AsSpan(offset, count), MemoryMarshal.Cast<byte, float>(chunk.Data), reduce);
        }
        else
        {
            Combine(((double[])operation.Buffer).AsSpan(offset, count), MemoryMarshal.Cast<byte, double>(chunk.Data), reduce);
        }
        if (chunk.Step + 1 < steps)
        {
            Send(operation, chunk.Step + 1, chunk.ChunkIndex);
        }
        if (operation.Received == operation.ExpectedChunks(Rank))
        {
            Complete();
        }
    }

    private void Complete()
    {
        Operation done = _current!;
        _current = null;
        done.Succeed();
    }

    private void Send(Operation operation, int step, int chunkIndex)
    {
        (int start, int length) = operation.Segment(operation.SentSegment(Rank, step));
        int perChunk = ReduceChunk.MaxDataBytes / operation.ElementSize;
        int chunks = operation.ChunkCount(length);
        int from = start + chunkIndex * perChunk;
        int count = Math.Min(perChunk, start + length - from);
        byte[] data = operation.ElementSize == sizeof(float)
            ? MemoryMarshal.AsBytes(((float[])operation.Buffer).AsSpan(from, count)).ToArray()
            : MemoryMarshal.AsBytes(((double[])operation.Buffer).AsSpan(from, count)).ToArray();
        _successor.Tell(new ReduceChunk(Round, Attempt, operation.Index, step, chunkIndex, chunks, operation.ElementSize, data), _trainer);
        BytesSent += data.Length;
        ChunksSent++;
    }

    private static void Combine<T>(Span<T> target, ReadOnlySpan<T> incoming, bool add)
        where T : struct, INumber<T>
    {
        if (!add)
        {
            incoming.CopyTo(target);
            return;
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<T>> targetVectors = MemoryMarshal.Cast<T, Vector<T>>(target);
            ReadOnlySpan<Vector<T>> incomingVectors = MemoryMarshal.Cast<T, Vector<T>>(incoming);
            for (int v = 0; v < targetVectors.Length; v++)
            {
                targetVectors[v] += incomingVectors[v];
            }
            i = targetVectors.Length * Vector<T>.Count;
        }
        for (; i < target.Length; i++)
        {
            target[i] += incoming[i];
        }
    }

    /// <summary>One all-reduce: the buffer, its segments and the step this member is in.</summary>
    public sealed class Operation
    {
        private readonly int _size;
        private readonly long _length;
        private readonly HashSet<long> _seen = [];
        private int _expected = -1;

        public Operation(int index, Array buffer, int elementSize, int size)
        {
            Index = index;
            Buffer = buffer;
            ElementSize = elementSize;
            _size = size;
            _length = buffer.Length;
        }

        public int Index { get; }

        public Array Buffer { get; }

        public int ElementSize { get; }

        /// <summary>Chunks received so far, over every step.</summary>
        public int Received { get; private set; }

        public string? Failure { get; private set; }

        public ManualResetEventSlim Done { get; } = new(false);

        /// <summary>When the trainer thread began it (a timestamp), for the peer-wait figure.</summary>
        public long Began { get; set; }

        public (int Start, int Length) Segment(int segment)
        {
            long start = segment * _length / _size;
            long end = (segment + 1) * _length / _size;
            return ((int)start, (int)(end - start));
        }

        // Steps 0..N−2 reduce-scatter, N−1..2N−3 all-gather. Reduce-scatter step s sends segment (r − s), all-gather
        // step t sends (r + 1 − t): in both, what was received the step before.
        public int SentSegment(int rank, int step) => Mod(step < _size - 1 ? rank - step : rank + 1 - (step - (_size - 1)));

        public int ReceivedSegment(int rank, int step) => Mod(step < _size - 1 ? rank - step - 1 : rank - (step - (_size - 1)));

        public int ChunkCount(int length) => Math.Max(1, (length * ElementSize + ReduceChunk.MaxDataBytes - 1) / ReduceChunk.MaxDataBytes);

        /// <summary>Chunks this member receives over the whole all-reduce.</summary>
        public int ExpectedChunks(int rank)
        {
            if (_expected < 0)
            {
                _expected = 0;
                for (int step = 0; step < 2 * (_size - 1); step++)
                {
                    _expected += ChunkCount(Segment(ReceivedSegment(rank, step)).Length);
                }
            }
            return _expected;
        }

        /// <summary>False for a chunk already received (a duplicate is ignored).</summary>
        public bool MarkReceived(int step, int chunkIndex)
        {
            if (!_seen.Add(((long)step << 32) | (uint)chunkIndex))
            {
                return false;
            }
            Received++;
            return true;
        }

        public void Succeed() => Done.Set();

        public void Fail(string reason)
        {
            Failure ??= reason;
            Done.Set();
        }

        private int Mod(int value) => ((value % _size) + _size) % _size;
    }
}

/// <summary>Local messages between the PPO thread's ring and the trainer actor that moves its chunks.</summary>
public static class RingProtocol
{
    public sealed record BeginOperation(RingAllReduce Ring, RingAllReduce.Operation Operation) : INoSerializationVerificationNeeded;

    public sealed record OperationTimedOut(RingAllReduce Ring, int Operation) : INoSerializationVerificationNeeded;
}
