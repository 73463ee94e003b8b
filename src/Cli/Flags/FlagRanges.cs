using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MsMano.Cli.Flags;

/// <summary>
/// The range of every numeric flag of every command, in one table, applied to the whole command tree at start:
/// a value outside is a parse error naming the flag, the value and the range (one line, exit code 2), never a
/// run that fails an hour later or silently does nothing. A numeric flag missing from the table stops the program
/// at start (and the flag-walk test), so a new flag cannot skip its range.
/// </summary>
public static class FlagRanges
{
    private const double Int = int.MaxValue;
    private const double Huge = 1e12;

    /// <summary>Inclusive bounds by flag name; generous, but each excludes values no run can mean.</summary>
    public static IReadOnlyDictionary<string, FlagRange> Table { get; } = new Dictionary<string, FlagRange>(StringComparer.Ordinal)
    {
        // Sizes of the simulation and of the learner.
        ["--actors"] = new(1, 1024),
        ["--agents"] = new(1, 1 << 16),
        ["--sims"] = new(1, 64),
        ["--sources"] = new(1, 1024),
        ["--batch"] = new(1, 1 << 26),
        ["--torch-threads"] = new(1, 1024),
        ["--checkpoint-every"] = new(0, Int),
        // Budgets.
        ["--minutes"] = new(0.001, 43_200),
        ["--seconds"] = new(0.001, 1e7),
        ["--warmup"] = new(0, 1e6),
        ["--updates"] = new(1, Huge),
        ["--max-updates"] = new(1, Huge),
        ["--max-policy-lag"] = new(0, 1000),
        ["--rounds"] = new(1, 1_000_000),
        ["--days"] = new(1, 36_500),
        // Evaluation and RefineNet.
        ["--iterations"] = new(1, 100_000_000),
        ["--eval-iterations"] = new(1, 100_000_000),
        ["--refine-batch"] = new(1, 1 << 24),
        ["--train-sequences"] = new(1, 1_000_000),
        ["--test-sequences"] = new(1, 1_000_000),
        ["--max-test"] = new(0, Int),
        ["--eval-max-test"] = new(0, Int),
        ["--feedback-rounds"] = new(0, 1000),
        ["--input-window"] = new(0, 1000),
        ["--fps"] = new(1, 1000),
        ["--bench-batch"] = new(1, 100_000),
        ["--clip-index"] = new(0, Int),
        // Physics and reward.
        ["--excitation"] = new(0, 1),
        ["--shape-spread"] = new(0, 3),
        ["--relax"] = new(0, 1e6),
        ["--reward-weight"] = new(0, 1e6),
        // Network and processes.
        ["--port"] = new(0, 65_535),
        ["--management-port"] = new(0, 65_535),
        ["--dashboard-port"] = new(0, 65_535),
        ["--exit-with-parent"] = new(1, Int),
        // Any value is a seed: the range is the type's own (listed so the table stays complete).
        ["--seed"] = FlagRange.Any,
    };

    /// <summary>True for an option whose value is a number (nullable or not).</summary>
    public static bool IsNumeric(Option option)
    {
        Type type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float)
            || type == typeof(ulong) || type == typeof(uint) || type == typeof(short) || type == typeof(decimal);
    }

    /// <summary>Every option of <paramref name="command"/> and its subcommands, with the command path.</summary>
    public static IEnumerable<(string Command, Option Option)> Walk(Command command, string path = "")
    {
        string here = string.IsNullOrEmpty(path) ? command.Name : $"{path} {command.Name}";
        foreach (Option option in command.Options)
        {
            yield return (here, option);
        }
        foreach (Command sub in command.Subcommands)
        {
            foreach ((string Command, Option Option) item in Walk(sub, here))
            {
                yield return item;
            }
        }
    }

    /// <summary>Adds the range validator to every numeric option; throws for one the table lacks.</summary>
    public static void Apply(Command root)
    {
        var missing = new List<string>();
        var seen = new HashSet<Option>();
        foreach ((string command, Option option) in Walk(root))
        {
            if (!IsNumeric(option) || !seen.Add(option))
            {
                continue;
            }
            if (!Table.TryGetValue(option.Name, out FlagRange range))
            {
                missing.Add($"{command} {option.Name}");
                continue;
            }
            option.Validators.Add(result => Validate(result, option.Name, range));
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"numeric flags without a range in {nameof(FlagRanges)}.{nameof(Table)}: {string.Join(", ", missing)}");
        }
    }

    private static void Validate(OptionResult result, string name, FlagRange range)
    {
        foreach (Token token in result.Tokens)
        {
            // A token that is no number at all is the parser's error (it names the type); only numbers are ranged here.
            if (double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && !range.Contains(value))
            {
                result.AddError($"{name} {token.Value} is out of range; give a value in {range}.");
                return;
            }
        }
    }
}

/// <summary>Inclusive numeric bounds of one flag.</summary>
public readonly record struct FlagRange(double Min, double Max)
{
    public static FlagRange Any { get; } = new(double.NegativeInfinity, double.PositiveInfinity);

    public bool Contains(double value) => value >= Min && value <= Max;

    public override string ToString()
    {
        return string.Create(CultureInfo.InvariantCulture, $"[{Min:G}, {Max:G}]");
    }
}
