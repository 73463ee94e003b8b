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
/// <see cref="Accept"/> on its own thread. Chunks that run ahead (a neighbour already in the next step or operation)
/// wait in a buffer. <see cref="Abort"/> (a member gone, a newer plan) or the timeout wakes the PPO thread with
/// <see cref="ReductionAbortedException"/>.
/// </remarks>
public sealed class RingAllReduce : IAllReduce
{
    private readonly IActorRef _trainer;
    private readonly IActorRef _successor;
    private readonly TimeSpan _timeout;
    private readonly Dictionary<(int Operation, int Step), List<ReduceChunk>> _early = [];
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
        Send(0);
        DrainEarly();
    }

    /// <summary>Trainer thread: a chunk from the predecessor for this attempt.</summary>
    public void Accept(ReduceChunk chunk)
    {
        if (_aborted is not null)
        {
            return;
        }
        var current = _current;
        if (current is null || chunk.Operation != current.Index || chunk.Step != current.Step)
        {
            if (current is null || chunk.Operation > current.Index || (chunk.Operation == current.Index && chunk.Step > current.Step))
            {
                var key = (chunk.Operation, chunk.Step);
                if (!_early.TryGetValue(key, out var list))
                {
                    _early[key] = list = [];
                }
                list.Add(chunk);
            }
            return;
        }
        Apply(current, chunk);
        DrainEarly();
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

    private void DrainEarly()
    {
        while (_current is { } current && _early.Remove((current.Index, current.Step), out var waiting))
        {
            foreach (var chunk in waiting)
            {
                if (_current is null || _current.Index != chunk.Operation || _current.Step != chunk.Step)
                {
                    break;
                }
                Apply(_current, chunk);
            }
        }
    }

    private void Apply(Operation operation, ReduceChunk chunk)
    {
        if (operation.Step == 0 && operation.ChunksReceived == 0)
        {
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            WaitedForPeers += System.Diagnostics.Stopwatch.GetElapsedTime(operation.Began, Math.Max(now, operation.Began));
        }
        int segment = operation.ReceivedSegment(Rank);
        var (start, length) = operation.Segment(segment);
        int expectedChunks = operation.ChunkCount(length);
        if (chunk.ChunkCount != expectedChunks || chunk.ElementSize != operation.ElementSize)
        {
            Abort($"ring chunk for step {chunk.Step} has {chunk.ChunkCount} chunks of {chunk.ElementSize}-byte elements; expected {expectedChunks} of {operation.ElementSize} (members disagree on the buffer)");
            return;
        }
        int perChunk = ReduceChunk.MaxDataBytes / operation.ElementSize;
        int offset = start + chunk.ChunkIndex * perChunk;
        int count = chunk.Data.Length / operation.ElementSize;
        if (offset + count > start + length)
        {
            Abort($"ring chunk {chunk.ChunkIndex} of step {chunk.Step} overruns its segment");
            return;
        }
        bool reduce = operation.Step < GroupSize - 1;
        if (operation.ElementSize == sizeof(float))
        {
            Combine(((float[])operation.Buffer).AsSpan(offset, count), MemoryMarshal.Cast<byte, float>(chunk.Data), reduce);
        }
        else
        {
            Combine(((double[])operation.Buffer).AsSpan(offset, count), MemoryMarshal.Cast<byte, double>(chunk.Data), reduce);
        }
        if (++operation.ChunksReceived < expectedChunks)
        {
            return;
        }
        operation.ChunksReceived = 0;
        operation.Step++;
        if (operation.Step == 2 * (GroupSize - 1))
        {
            Complete();
            return;
        }
        Send(operation.Step);
    }

    private void Complete()
    {
        var done = _current!;
        _current = null;
        done.Succeed();
    }

    private void Send(int step)
    {
        var operation = _current!;
        int segment = operation.SentSegment(Rank);
        var (start, length) = operation.Segment(segment);
        int perChunk = ReduceChunk.MaxDataBytes / operation.ElementSize;
        int chunks = operation.ChunkCount(length);
        for (int c = 0; c < chunks; c++)
        {
            int from = start + c * perChunk;
            int count = Math.Min(perChunk, start + length - from);
            byte[] data = operation.ElementSize == sizeof(float)
                ? MemoryMarshal.AsBytes(((float[])operation.Buffer).AsSpan(from, count)).ToArray()
                : MemoryMarshal.AsBytes(((double[])operation.Buffer).AsSpan(from, count)).ToArray();
            _successor.Tell(new ReduceChunk(Round, Attempt, operation.Index, step, c, chunks, operation.ElementSize, data), _trainer);
            BytesSent += data.Length;
            ChunksSent++;
        }
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
            var targetVectors = MemoryMarshal.Cast<T, Vector<T>>(target);
            var incomingVectors = MemoryMarshal.Cast<T, Vector<T>>(incoming);
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

        /// <summary>0..N−2 reduce-scatter, N−1..2N−3 all-gather.</summary>
        public int Step { get; set; }

        public int ChunksReceived { get; set; }

        /// <summary>When the trainer thread began it (a timestamp), for the peer-wait figure.</summary>
        public long Began { get; set; }

        public string? Failure { get; private set; }

        public ManualResetEventSlim Done { get; } = new(false);

        public (int Start, int Length) Segment(int segment)
        {
            long start = segment * _length / _size;
            long end = (segment + 1) * _length / _size;
            return ((int)start, (int)(end - start));
        }

        // Reduce-scatter step s sends segment (r − s), all-gather step t sends (r + 1 − t): what was just received.
        public int SentSegment(int rank) => Mod(Step < _size - 1 ? rank - Step : rank + 1 - (Step - (_size - 1)));

        public int ReceivedSegment(int rank) => Mod(Step < _size - 1 ? rank - Step - 1 : rank - (Step - (_size - 1)));

        public int ChunkCount(int length) => Math.Max(1, (length * ElementSize + ReduceChunk.MaxDataBytes - 1) / ReduceChunk.MaxDataBytes);

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
