using System.Diagnostics;
using MsMano.Cluster.Shutdown;

namespace MsMano.Cluster.Tests.Shutdown;

public sealed class ParentProcessWatchTests
{
    [Fact]
    public async Task The_token_is_cancelled_once_the_watched_process_exits()
    {
        using Process parent = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        using var watch = ParentProcessWatch.Start(parent.Id, TimeSpan.FromMilliseconds(100));
        await Task.Delay(300);
        Assert.False(watch.ParentGone.IsCancellationRequested);

        parent.Kill();
        await parent.WaitForExitAsync();

        await Task.Delay(TimeSpan.FromSeconds(3), watch.ParentGone).ContinueWith(_ => { });
        Assert.True(watch.ParentGone.IsCancellationRequested);
    }

    [Fact]
    public void A_process_that_is_already_gone_cancels_at_once()
    {
        using Process parent = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        parent.WaitForExit();

        using var watch = ParentProcessWatch.Start(parent.Id);

        Assert.True(watch.ParentGone.IsCancellationRequested);
    }
}
