namespace MsMano.Cli.Tests.Trust;

/// <summary>
/// The settings path of the real binary (a child process): appsettings.json in its working directory, MSMANO__*
/// variables and flags meet in one configuration, and a wrong key or value in any of them stops it before a node
/// starts, in one line naming the source, with exit code 2.
/// </summary>
[Collection("Processes")]
public sealed class SettingsPathTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("msmano-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_unknown_appsettings_key_is_refused_naming_the_file_and_the_closest_key()
    {
        File.WriteAllText(Path.Combine(_directory, "appsettings.json"), """{ "MsMano": { "Learner": { "BatchSiz": 4096 } } }""");

        using var run = MsmanoProcess.StartIn(_directory, null, "learner", "--port", "0", "--no-dashboard");

        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(1)), run.Output);
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("msmano: error:", StringComparison.Ordinal));
        Assert.Contains("appsettings.json: key MsMano:Learner:BatchSiz is not a setting msmano reads; did you mean MsMano:Learner:BatchSize?", line);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public async Task A_bad_appsettings_value_is_refused_naming_the_setting_and_the_value()
    {
        File.WriteAllText(Path.Combine(_directory, "appsettings.json"), """{ "MsMano": { "Sim": { "AckTimeout": "soon" } } }""");

        using var run = MsmanoProcess.StartIn(_directory, null, "sim", "--port", "0");

        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(1)), run.Output);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MsMano:Sim:AckTimeout = 'soon' is invalid: must be a duration", run.Output);
    }

    [Fact]
    public async Task A_bad_environment_value_is_refused_on_the_same_path()
    {
        using var run = MsmanoProcess.StartIn(_directory, new Dictionary<string, string> { ["MSMANO__PPO__HIDDEN"] = "256,wide" }, "sim", "--port", "0", "--learning", "data-parallel");

        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(1)), run.Output);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MsMano:Ppo:Hidden = '256,wide' is invalid", run.Output);
    }
}
