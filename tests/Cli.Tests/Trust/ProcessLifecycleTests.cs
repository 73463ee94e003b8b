using System.Diagnostics;

namespace MsMano.Cli.Tests.Trust;

/// <summary>The real binary: SIGTERM ends `embedded` with a checkpoint within the shutdown timeout, and a kill -9 during the first checkpoint never stops the next start.</summary>
[Collection("Processes")]
public sealed class ProcessLifecycleTests : IDisposable
{
    // Synthetic task, one small node, small batches: an update every few hundred milliseconds on a busy machine.
    private static readonly string[] s_small = ["embedded", "--env", "synthetic", "--sims", "1", "--agents", "32", "--batch", "256", "--no-evaluate", "--no-dashboard"];

    /// <summary>ClusterNodeOptions.ShutdownTimeout's default; the embedded leave must fit in it.</summary>
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(40);

    private readonly string _out = Path.Combine(Path.GetTempPath(), "msmano-life-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Sigterm_to_embedded_with_only_an_update_budget_checkpoints_and_exits_within_the_shutdown_timeout()
    {
        using var run = MsmanoProcess.Start(null, [.. s_small, "--updates", "1000000", "--out", _out]);
        // Update lines go to the log file; the first checkpoint line is on the console (and proves training ran).
        Assert.True(await run.WaitForOutputAsync("Checkpoint ckpt-", TimeSpan.FromMinutes(3)), run.Output);

        var clock = Stopwatch.StartNew();
        run.Signal("TERM");
        Assert.True(await run.WaitForExitAsync(s_shutdownTimeout), $"still running {s_shutdownTimeout} after SIGTERM:\n{run.Output}");
        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(_out, "checkpoints", "LATEST")), run.Output);
        Assert.True(clock.Elapsed < s_shutdownTimeout);
    }

    [Fact]
    public async Task A_kill_during_the_first_checkpoint_never_stops_the_next_start()
    {
        string checkpoints = Path.Combine(_out, "checkpoints");
        using (var run = MsmanoProcess.Start(null, [.. s_small, "--updates", "1000000", "--out", _out]))
        {
            // Kill -9 at the first sign of the first checkpoint (default: every 10 updates): its temporary folder,
            // or failing that its renamed folder before LATEST is written.
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromMinutes(4) && !run.HasExited)
            {
                if (Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any())
                {
                    break;
                }
                await Task.Delay(1);
            }
            run.Signal("KILL");
            Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }
        Assert.True(Directory.Exists(checkpoints), "the run never started its first checkpoint");

        using var restart = MsmanoProcess.Start(null, [.. s_small, "--updates", "12", "--out", _out]);
        Assert.True(await restart.WaitForExitAsync(TimeSpan.FromMinutes(4)), restart.Output);
        Assert.Equal(0, restart.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(checkpoints, ".tmp-*"));
        Assert.True(File.Exists(Path.Combine(checkpoints, "LATEST")), restart.Output);
    }

    [Fact]
    public async Task A_bogus_log_level_is_a_clean_error_not_an_abort()
    {
        using var run = MsmanoProcess.Start(new Dictionary<string, string> { ["MSMANO__LOGGING__LEVEL"] = "bogus" }, "simulate", "--seconds", "0.1");
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MSMANO__LOGGING__LEVEL", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }
}

[CollectionDefinition("Processes", DisableParallelization = true)]
public sealed class ProcessesCollection;
