using MsMano.Learning.DataParallel;

namespace MsMano.Learning.Tests.DataParallel;

/// <summary>
/// A training group of threads in one process: every member parks its buffer, each sums all of them in rank order
/// (so every member gets the same bits, as over the wire), then all wait until everyone has read.
/// </summary>
public sealed class InProcessGroup
{
    private readonly Barrier _barrier;
    private readonly Array?[] _slots;

    public InProcessGroup(int size)
    {
        _barrier = new Barrier(size);
        _slots = new Array?[size];
        Size = size;
    }

    public int Size { get; }

    public IAllReduce Member(int rank) => new MemberReduce(this, rank);

    private void Sum<T>(T[] buffer, int rank)
        where T : struct, System.Numerics.INumber<T>
    {
        _slots[rank] = buffer;
        _barrier.SignalAndWait(TimeSpan.FromSeconds(60));
        var result = new T[buffer.Length];
        for (int r = 0; r < _slots.Length; r++)
        {
            var other = (T[])_slots[r]!;
            for (int i = 0; i < result.Length; i++)
            {
                result[i] += other[i];
            }
        }
        _barrier.SignalAndWait(TimeSpan.FromSeconds(60));
        result.CopyTo(buffer, 0);
    }

    private sealed class MemberReduce(InProcessGroup group, int rank) : IAllReduce
    {
        public int GroupSize => group.Size;

        public int Rank => rank;

        public void Sum(float[] buffer) => group.Sum(buffer, rank);

        public void Sum(double[] buffer) => group.Sum(buffer, rank);
    }
}
