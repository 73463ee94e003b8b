using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;

namespace MsMano.Cli.Tests.Trust;

/// <summary>
/// <c>sim</c> and <c>embedded</c> read their training motions as <c>train</c> does: a pose of 1e30 rad in a motion file
/// stops the real binary before any node starts, in one line naming file, field and value (exit code 2); under
/// <c>--clamp-poses</c> the file is clamped with one warning line naming file, field and how many values, and the
/// run goes on.
/// </summary>
[Collection("Processes")]
public sealed class ClampPosesNodeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("msmano-clamp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string[]> Commands() => new()
    {
        { ["sim", "--port", "0", "--hostname", "127.0.0.1", "--readiness-file", ""] },
        { ["embedded", "--sims", "2", "--agents", "32", "--batch", "256", "--updates", "1", "--no-evaluate", "--no-dashboard", "--out", Path.Combine(Path.GetTempPath(), "msmano-clamp-never-written")] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_huge_pose_in_the_motion_file_is_refused_in_one_line(string[] command)
    {
        string file = HugePoseFile();

        using var run = MsmanoProcess.Start(null, [.. command, "--motion", "json:" + file]);

        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(2)), run.Output);
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("msmano: error:", StringComparison.Ordinal));
        Assert.Contains(file, line);
        Assert.Contains("poses[0][4]", line);
        Assert.Contains("1E+30", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--clamp-poses", line);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public async Task Under_clamp_poses_sim_clamps_with_one_warning_and_starts_its_node()
    {
        string file = HugePoseFile();

        using var run = MsmanoProcess.Start(null, ["sim", "--port", "0", "--hostname", "127.0.0.1", "--readiness-file", "", "--motion", "json:" + file, "--clamp-poses"]);

        // The node starting after the warning shows the run went on (it is then killed).
        Assert.True(await run.WaitForOutputAsync("Simulation node", TimeSpan.FromMinutes(2)), run.Output);
        AssertOneClampWarning(run.Output, file);
    }

    [Fact]
    public async Task Under_clamp_poses_embedded_reads_the_file_once_clamps_with_one_warning_and_trains()
    {
        string file = HugePoseFile();

        using var run = MsmanoProcess.Start(null,
            ["embedded", "--sims", "2", "--agents", "32", "--batch", "256", "--updates", "1", "--no-evaluate", "--no-dashboard",
             "--motion", "json:" + file, "--out", Path.Combine(_directory, "run"), "--clamp-poses"]);

        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(4)), run.Output);
        Assert.Equal(0, run.ExitCode);
        // Two simulation nodes, one read of the file: one warning.
        AssertOneClampWarning(run.Output, file);
    }

    private static void AssertOneClampWarning(string output, string file)
    {
        string warning = Assert.Single(output.Split('\n'), l => l.Contains("clamped", StringComparison.Ordinal));
        Assert.Contains(file, warning);
        Assert.Contains("clamped 1 of", warning);
        Assert.Contains("of poses", warning);
        Assert.DoesNotContain("msmano: error:", output);
    }

    // 30 frames at rest, one component (frame 0, joint 1, axis y) at 1e30 rad.
    private string HugePoseFile()
    {
        float[] poses = new float[30 * ManoJoints.PoseSize];
        poses[4] = 1e30f;
        string path = Path.Combine(_directory, "huge.json");
        PoseSequenceJson.Write(path, new PoseSequence("huge", poses, 30));
        return path;
    }
}
