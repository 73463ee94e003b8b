using System.CommandLine;
using MsMano.Evaluation.Datasets;

namespace MsMano.Cli.Commands;

/// <summary>The one flag of every command that reads motion or prediction files: what to do with poses beyond ±4π rad.</summary>
public static class PoseFlags
{
    public static Option<bool> ClampPoses() => new("--clamp-poses")
    {
        Description = "Clamp pose values beyond ±4π rad in motion and prediction files (one warning per file) instead of refusing the file.",
    };

    public static OutOfRangePoses OutOfRange(ParseResult parse, Option<bool> clamp)
    {
        return parse.GetValue(clamp) ? OutOfRangePoses.Clamp : OutOfRangePoses.Refuse;
    }
}
