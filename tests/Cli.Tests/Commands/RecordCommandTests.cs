using System.CommandLine;
using MsMano.Cli.Commands;
using MsMano.Dashboard.Clips;

namespace MsMano.Cli.Tests.Commands;

public sealed class RecordCommandTests
{
    [Fact]
    public void Record_tracking_runs_without_a_policy_flag_on_a_fresh_clone_with_the_shipped_idnet()
    {
        string output = Path.Combine(Path.GetTempPath(), $"msmano-record-{Guid.NewGuid():N}", "tracking.json");
        try
        {
            int code = RecordCommand.Create().Parse(["tracking", "--seconds", "0.2", "--out", output]).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

            Assert.Equal(0, code);
            var clip = HandClip.Load(output);
            Assert.Equal("tracking", clip.Kind);
            Assert.True(clip.Frames >= 2);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }
}
