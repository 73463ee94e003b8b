using MsMano.Cluster.Workers;

namespace MsMano.Cluster.Tests.Workers;

public sealed class DedicatedWorkerTests
{
    [Fact]
    public async Task Work_runs_in_order_on_one_named_thread_and_failures_surface_in_the_task()
    {
        using var worker = new DedicatedWorker("test-worker");
        var order = new List<int>();

        Task<string?> first = worker.Run(() => { Thread.Sleep(50); order.Add(1); return Thread.CurrentThread.Name; });
        Task<string?> second = worker.Run(() => { order.Add(2); return Thread.CurrentThread.Name; });
        Task<int> failing = worker.Run<int>(() => throw new InvalidOperationException("boom"));

        Assert.Equal("test-worker", await first);
        Assert.Equal("test-worker", await second);
        Assert.Equal([1, 2], order);
        Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
    }

    [Fact]
    public async Task Work_queued_after_stop_fails_instead_of_hanging()
    {
        var worker = new DedicatedWorker("stopped-worker");
        Assert.True(worker.Stop(TimeSpan.FromSeconds(5)));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => worker.Run(() => 1));
    }
}
