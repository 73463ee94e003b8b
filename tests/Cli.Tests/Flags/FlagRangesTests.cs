using System.CommandLine;
using System.Globalization;
using MsMano.Cli.Errors;
using MsMano.Cli.Flags;

namespace MsMano.Cli.Tests.Flags;

/// <summary>
/// Walks every option of every command of the real command tree: each numeric flag has a range, and a value just
/// outside it is refused by the parser with an error naming the flag and the value.
/// </summary>
public sealed class FlagRangesTests
{
    public static TheoryData<string, string, string> OutOfRangeValues()
    {
        var data = new TheoryData<string, string, string>();
        foreach ((string command, Option option, string value) in Probes())
        {
            data.Add(command, option.Name, value);
        }
        return data;
    }

    [Fact]
    public void Every_numeric_flag_of_every_command_has_a_range_that_can_be_left()
    {
        RootCommand root = Program.CreateRoot();
        var numeric = FlagRanges.Walk(root).Where(o => FlagRanges.IsNumeric(o.Option)).ToList();
        Assert.True(numeric.Count >= 40, $"only {numeric.Count} numeric flags found; the walk misses commands");
        foreach ((string command, Option option) in numeric)
        {
            Assert.True(FlagRanges.Table.ContainsKey(option.Name), $"{command} {option.Name} has no range");
            bool probed = Probes().Any(p => p.Command == command && p.Option.Name == option.Name);
            Assert.True(probed || FlagRanges.Table[option.Name] == FlagRange.Any, $"{command} {option.Name}: no value lies outside its range");
        }
    }

    [Theory]
    [MemberData(nameof(OutOfRangeValues))]
    public void A_value_outside_the_range_is_a_parse_error_naming_flag_and_value(string command, string flag, string value)
    {
        RootCommand root = Program.CreateRoot();
        string[] args = [.. command.Split(' ').Skip(1), flag, value];

        ParseResult parse = root.Parse(args);

        // Other errors may come too (a required flag the probe leaves out); the range error must be among them.
        Assert.Contains(parse.Errors, e => e.Message.Contains($"{flag} {value} is out of range", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sim", "--agents", "0")]
    [InlineData("learner", "--port", "70000")]
    [InlineData("evaluate", "--fps", "-5")]
    [InlineData("train", "--batch", "0")]
    public void The_binary_refuses_it_in_one_line_with_exit_code_2(string command, string flag, string value)
    {
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = Program.Main([command, flag, value]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(ErrorReport.ExitUserError, code);
        string text = error.ToString().Trim();
        Assert.Single(text.Split('\n'));
        Assert.StartsWith($"msmano: error: {flag} {value} is out of range", text);
    }

    [Fact]
    public void Values_inside_the_range_parse_cleanly()
    {
        RootCommand root = Program.CreateRoot();
        Assert.Empty(root.Parse(["sim", "--agents", "64", "--port", "0", "--seed", "18446744073709551615"]).Errors);
        Assert.Empty(root.Parse(["embedded", "--minutes", "0.5", "--sims", "2"]).Errors);
    }

    // One value below the minimum and one above the maximum, where the option's type can hold it.
    private static IEnumerable<(string Command, Option Option, string Value)> Probes()
    {
        foreach ((string command, Option option) in FlagRanges.Walk(Program.CreateRoot()))
        {
            if (!FlagRanges.IsNumeric(option) || !FlagRanges.Table.TryGetValue(option.Name, out FlagRange range))
            {
                continue;
            }
            Type type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            bool integral = type != typeof(double) && type != typeof(float) && type != typeof(decimal);
            (double Min, double Max) limits = TypeLimits(type);
            double below = integral ? Math.Floor(range.Min) - 1 : range.Min - Math.Max(1, Math.Abs(range.Min));
            double above = integral ? Math.Ceiling(range.Max) + 1 : range.Max * 2 + 1;
            if (double.IsFinite(range.Min) && below >= limits.Min)
            {
                yield return (command, option, Format(below));
            }
            if (double.IsFinite(range.Max) && above <= limits.Max)
            {
                yield return (command, option, Format(above));
            }
        }
    }

    private static (double Min, double Max) TypeLimits(Type type)
    {
        return type == typeof(int) ? (int.MinValue, int.MaxValue)
            : type == typeof(long) ? (long.MinValue, long.MaxValue)
            : type == typeof(ulong) ? (0, ulong.MaxValue)
            : type == typeof(uint) ? (0, uint.MaxValue)
            : type == typeof(float) ? (float.MinValue, float.MaxValue)
            : (double.MinValue, double.MaxValue);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
