using System.Collections;
using MsMano.Cli.Errors;

namespace MsMano.Cli.Tests.Trust;

public sealed class ErrorReportTests
{
    [Fact]
    public void An_unknown_msmano_variable_is_an_error_with_a_did_you_mean()
    {
        UserError ex = Assert.Throws<UserError>(() => EnvironmentKeys.Check(new Hashtable { ["MSMANO__LEARNER__BATCHSIZ"] = "64", ["PATH"] = "/bin" }));
        Assert.Contains("MSMANO__LEARNER__BATCHSIZ ", ex.Message);
        Assert.Contains("did you mean MSMANO__LEARNER__BATCHSIZE?", ex.Message);
        EnvironmentKeys.Check(new Hashtable { ["MSMANO__LEARNER__BATCHSIZE"] = "64", ["MSMANO__CLUSTER__SEEDS__0"] = "x", ["MSMANO__LOGGING__LEVEL"] = "Debug" });
    }

    [Fact]
    public void Every_documented_logging_variable_is_known()
    {
        EnvironmentKeys.Check(new Hashtable { ["MSMANO__LOGGING__LEVEL"] = "Debug", ["MSMANO__LOGGING__FORMAT"] = "json", ["MSMANO__LOGGING__FILE"] = "/tmp/x.log" });
    }

    [Fact]
    public void The_learning_mode_variable_the_data_parallel_overlay_sets_is_known()
    {
        EnvironmentKeys.Check(new Hashtable { ["MSMANO__LEARNING"] = "data-parallel" });
        Assert.Throws<UserError>(() => EnvironmentKeys.Check(new Hashtable { ["MSMANO__LEARNINGS"] = "data-parallel" }));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public void Out_of_range_embedded_minutes_are_refused_in_one_line_with_exit_code_2(string minutes)
    {
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = Program.Main(["embedded", "--minutes", minutes]);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Equal(ErrorReport.ExitUserError, code);
        string text = error.ToString().Trim();
        Assert.Single(text.Split('\n'));
        Assert.StartsWith("msmano: error: --minutes", text);
    }

    [Fact]
    public void Only_verbose_reports_carry_a_stack_trace_and_crashes_are_told_apart()
    {
        Exception thrown;
        try
        {
            throw new FileNotFoundException("Checkpoint manifest /x/manifest.json is missing", "/x/manifest.json");
        }
        catch (Exception ex)
        {
            thrown = ex;
        }
        var quiet = new StringWriter();
        Assert.Equal(2, ErrorReport.Report(thrown, verbose: false, quiet));
        Assert.Equal("msmano: error: Checkpoint manifest /x/manifest.json is missing", quiet.ToString().Trim());
        var verbose = new StringWriter();
        ErrorReport.Report(thrown, verbose: true, verbose);
        Assert.Contains("   at ", verbose.ToString());
        Assert.Equal(1, ErrorReport.Report(new NullReferenceException("bug"), verbose: false, new StringWriter()));
    }
}
