using MsMano.Biomechanics.Model;
using MsMano.Cluster.Options;
using MsMano.Contracts.Messaging;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Import;

namespace MsMano.Cli.Errors;

/// <summary>
/// The one place a failed command becomes a message and an exit code: a user error (a bad flag, setting or file) is
/// one line naming it, exit code 2; anything else is a crash, exit code 1. Stack traces only with --verbose.
/// </summary>
public static class ErrorReport
{
    public const int ExitUserError = 2;
    public const int ExitCrash = 1;

    /// <summary>True for exceptions that describe bad input rather than a bug.</summary>
    public static bool IsUserError(Exception ex)
    {
        return Unwrap(ex) is UserError or ClusterConfigurationException or ArgumentException or DataFormatException or MjcfException
            or HandModelException or MotionSpecException or ContractValidationException or FileNotFoundException
            or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException or FormatException
            or System.Text.Json.JsonException;
    }

    /// <summary>Writes the report to <paramref name="error"/> and returns the exit code.</summary>
    public static int Report(Exception ex, bool verbose, TextWriter error)
    {
        Exception cause = Unwrap(ex);
        bool user = IsUserError(cause);
        string line = OneLine(cause.Message);
        error.WriteLine(user ? $"msmano: error: {line}" : $"msmano: internal error ({cause.GetType().Name}): {line}");
        if (verbose)
        {
            error.WriteLine(cause.ToString());
        }
        else if (!user)
        {
            error.WriteLine("(run again with --verbose for the stack trace)");
        }
        return user ? ExitUserError : ExitCrash;
    }

    private static Exception Unwrap(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && ex.InnerException is { } inner)
        {
            ex = inner;
        }
        return ex;
    }

    private static string OneLine(string message)
    {
        return string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
