using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot.Plottables;
using Serilog;

namespace MsMano.Cluster.Bench;

/// <summary>What <see cref="LearningQuality.Run"/> compares: every learning mode at every seed, each a fresh <c>embedded</c> run.</summary>
public sealed record LearningQualitySettings(
    string[] Learning, int[] Seeds, int Updates, int Sims, string Environment, int Batch, string Output, string NodeAssembly)
{
    /// <summary>A run that has not finished after this long is stopped and reported as failed.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// Central runs at each of these policy lags (`embedded --max-policy-lag`), one curve each, labelled
    /// "central-lagN"; empty: one "central" curve at the learner's default lag.
    /// </summary>
    public int[] CentralLags { get; init; } = [];

    /// <summary>Every curve to draw: its label and the extra `embedded` arguments that make it.</summary>
    public IReadOnlyList<(string Label, string Learning, string[] Arguments)> Variants()
    {
        var variants = new List<(string, string, string[])>();
        foreach (string learning in Learning)
        {
            if (learning == "central" && CentralLags.Length > 0)
            {
                variants.AddRange(CentralLags.Select(lag =>
                    ($"central-lag{lag.ToString(CultureInfo.InvariantCulture)}", learning, new[] { "--max-policy-lag", lag.ToString(CultureInfo.InvariantCulture) })));
            }
            else
            {
                variants.Add((learning, learning, Array.Empty<string>()));
            }
        }
        return variants;
    }
}

/// <summary>One update of one run: the reward it trained on and the transitions trained on so far.</summary>
public sealed record LearningQualityPoint(string Learning, int Seed, int Update, long Transitions, double MeanReward);

/// <summary>
/// Reward against transitions trained on, per learning mode and seed (the issue's learning-quality check): each run is
/// the user's own <c>msmano embedded --learning M --seed S --updates U --fresh</c> in a child process, and its curve is
/// read from the learner's (or coordinator's) "Update N: ..., reward R, T transitions" log lines. Writes a CSV, a PNG
/// (mean over seeds with the seeds' range) and a Markdown summary.
/// </summary>
public static partial class LearningQuality
{
    public static IReadOnlyList<LearningQualityPoint> Run(LearningQualitySettings settings, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string runs = Path.Combine(Path.GetTempPath(), $"msmano-learning-quality-{System.Environment.ProcessId}");
        var points = new List<LearningQualityPoint>();
        using var processes = new ClusterBenchProcesses(runs, settings.NodeAssembly);
        foreach (int seed in settings.Seeds)
        {
            // Modes interleaved per seed, so a change in the machine's load hits both alike.
            foreach ((string label, string learning, string[] extra) in settings.Variants())
            {
                cancel.ThrowIfCancellationRequested();
                string name = $"{label}-seed{seed}";
                string output = Path.Combine(runs, name);
                var clock = Stopwatch.StartNew();
                Log.Information("Learning quality: {Name}, {Updates} updates (logs in {Directory})", name, settings.Updates, runs);
                Process process = processes.Start(name, [
                    "embedded", "--env", settings.Environment, "--sims", Invariant(settings.Sims), "--learning", learning,
                    "--seed", Invariant(seed), "--updates", Invariant(settings.Updates), "--batch", Invariant(settings.Batch),
                    "--out", output, "--fresh", "--no-evaluate", "--no-dashboard", .. extra], core: null, exitWithParent: false);
                if (!process.WaitForExit(settings.RunTimeout))
                {
                    processes.StopAll(TimeSpan.FromSeconds(30));
                    throw new TimeoutException($"{name} did not finish within {settings.RunTimeout}; see {Path.Combine(runs, name + ".log")}.");
                }
                List<LearningQualityPoint> curve = ReadCurve(Path.Combine(runs, name + "-full.log"), label, seed);
                if (curve.Count == 0)
                {
                    throw new InvalidOperationException($"{name} exited with code {process.ExitCode} and logged no update; see {Path.Combine(runs, name + ".log")}.");
                }
                points.AddRange(curve);
                Log.Information(
                    "Learning quality: {Name}: {Count} updates, {Transitions:N0} transitions, last reward {Reward:F3} in {Seconds:F0} s",
                    name, curve.Count, curve[^1].Transitions, curve[^1].MeanReward, clock.Elapsed.TotalSeconds);
            }
        }
        Write(points, settings);
        return points;
    }

    /// <summary>The curve of one run from its log file (Serilog writes one file per day: every day's file is read, in order).</summary>
    public static List<LearningQualityPoint> ReadCurve(string logPath, string learning, int seed)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(logPath))!;
        string stem = Path.GetFileNameWithoutExtension(logPath);
        string[] files = Directory.Exists(directory)
            ? Directory.GetFiles(directory, stem + "*" + Path.GetExtension(logPath)).Order(StringComparer.Ordinal).ToArray()
            : [];
        var points = new List<LearningQualityPoint>();
        long transitions = 0;
        foreach (string file in files)
        {
            using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            while (reader.ReadLine() is { } line)
            {
                // The coordinator logs each update's transitions; the central learner's metrics line logs the running total.
                Match match = UpdateLine().Match(line);
                Match metrics = match.Success ? match : MetricsLine().Match(line);
                if (!metrics.Success)
                {
                    continue;
                }
                int update = int.Parse(metrics.Groups["update"].Value, CultureInfo.InvariantCulture);
                double reward = double.Parse(metrics.Groups["reward"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                double count = double.Parse(metrics.Groups["transitions"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                transitions = match.Success ? transitions + (long)count : (long)count;
                points.Add(new LearningQualityPoint(learning, seed, update, transitions, reward));
            }
        }
        return points;
    }

    private static void Write(IReadOnlyList<LearningQualityPoint> points, LearningQualitySettings settings)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        string csv = Path.GetFullPath(settings.Output);
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        var text = new StringBuilder("learning,seed,update,transitions,mean_reward\n");
        foreach (LearningQualityPoint p in points)
        {
            text.Append(inv, $"{p.Learning},{p.Seed},{p.Update},{p.Transitions},{p.MeanReward:F3}\n");
        }
        File.WriteAllText(csv, text.ToString());
        string png = Path.ChangeExtension(csv, ".png");
        Plot(points, settings, png);
        string markdown = Path.ChangeExtension(csv, ".md");
        File.WriteAllText(markdown, Markdown(points, settings, Path.GetFileName(png)));
        Log.Information("Wrote {Csv}, {Png} and {Markdown}", csv, png, markdown);
    }

    /// <summary>Per mode: the last update's reward per seed, and the mean over seeds of the last five updates' mean reward.</summary>
    public static string Markdown(IReadOnlyList<LearningQualityPoint> points, LearningQualitySettings settings, string png)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "# Learning quality: central against data-parallel",
            "",
            string.Create(inv, $"`cluster-bench --learning-quality`: `embedded --env {settings.Environment} --sims {settings.Sims} --batch {settings.Batch} --updates {settings.Updates}`, seeds {string.Join(", ", settings.Seeds)}, per learning mode; rewards from the learner's update lines."),
            "",
            "| learning | seed | updates | transitions | last reward | mean of last 5 |",
            "|---|---|---|---|---|---|",
        };
        foreach (IGrouping<(string Learning, int Seed), LearningQualityPoint> run in points.GroupBy(p => (p.Learning, p.Seed)))
        {
            LearningQualityPoint[] ordered = run.OrderBy(p => p.Update).ToArray();
            double tail = ordered.TakeLast(5).Average(p => p.MeanReward);
            lines.Add(string.Create(inv, $"| {run.Key.Learning} | {run.Key.Seed} | {ordered.Length} | {ordered[^1].Transitions:N0} | {ordered[^1].MeanReward:F3} | {tail:F3} |"));
        }
        lines.Add("");
        foreach (IGrouping<string, LearningQualityPoint> mode in points.GroupBy(p => p.Learning))
        {
            double[] tails = mode.GroupBy(p => p.Seed).Select(s => s.OrderBy(p => p.Update).TakeLast(5).Average(p => p.MeanReward)).ToArray();
            double mean = tails.Average();
            double spread = tails.Length > 1 ? Math.Sqrt(tails.Sum(t => (t - mean) * (t - mean)) / (tails.Length - 1)) : 0.0;
            lines.Add(string.Create(inv, $"- **{mode.Key}**: mean reward of the last 5 updates {mean:F3} ± {spread:F3} (standard deviation over {tails.Length} seeds)."));
        }
        lines.Add("");
        lines.Add($"![learning quality]({png})");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Redraws the PNG and Markdown from a CSV this class wrote (<see cref="LearningQualitySettings.Output"/>), measuring nothing.</summary>
    public static IReadOnlyList<LearningQualityPoint> Replot(LearningQualitySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var points = new List<LearningQualityPoint>();
        string csv = Path.GetFullPath(settings.Output);
        string[] rows = File.ReadAllLines(csv);
        for (int i = 1; i < rows.Length; i++)
        {
            string[] f = rows[i].Split(',');
            if (f.Length != 5
                || !int.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
                || !int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int update)
                || !long.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out long transitions)
                || !double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double reward) || !double.IsFinite(reward))
            {
                throw new FormatException($"{csv}: line {i + 1} is not 'learning,seed,update,transitions,mean_reward': '{rows[i]}'");
            }
            points.Add(new LearningQualityPoint(f[0], seed, update, transitions, reward));
        }
        Write(points, settings);
        return points;
    }

    private static void Plot(IReadOnlyList<LearningQualityPoint> points, LearningQualitySettings settings, string path)
    {
        var plot = new ScottPlot.Plot();
        // Data-parallel in one colour, each central variant (lags) in its own.
        ScottPlot.Color[] central = [ScottPlot.Colors.Blue, ScottPlot.Colors.Teal, ScottPlot.Colors.Purple, ScottPlot.Colors.Gray];
        int centralCurves = 0;
        foreach (IGrouping<string, LearningQualityPoint> mode in points.GroupBy(p => p.Learning))
        {
            ScottPlot.Color color = mode.Key.StartsWith("data-parallel", StringComparison.Ordinal)
                ? ScottPlot.Colors.OrangeRed
                : central[centralCurves++ % central.Length];
            // Seeds share update indices; transitions per update differ by a chunk or two, so x is their mean.
            IGrouping<int, LearningQualityPoint>[] byUpdate = mode.GroupBy(p => p.Update).Where(g => g.Count() == mode.Select(p => p.Seed).Distinct().Count()).OrderBy(g => g.Key).ToArray();
            double[] x = byUpdate.Select(g => g.Average(p => (double)p.Transitions) / 1e6).ToArray();
            double[] mean = byUpdate.Select(g => g.Average(p => p.MeanReward)).ToArray();
            double[] low = byUpdate.Select(g => g.Min(p => p.MeanReward)).ToArray();
            double[] high = byUpdate.Select(g => g.Max(p => p.MeanReward)).ToArray();
            FillY band = plot.Add.FillY(x, low, high);
            band.FillColor = color.WithAlpha(0.2);
            band.LineWidth = 0;
            Scatter line = plot.Add.Scatter(x, mean);
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = $"{mode.Key}: mean of {mode.Select(p => p.Seed).Distinct().Count()} seeds (band: min to max)";
        }
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{settings.Environment}, {settings.Sims} simulation nodes, batch {settings.Batch:N0}: central vs data-parallel"));
        plot.XLabel("transitions trained on (millions)");
        plot.YLabel("mean reward of the update's batch");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 900, 560);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Update (?<update>\d+): policy v\d+, reward (?<reward>-?[0-9.]+(?:[eE][-+]?\d+)?|NaN), (?<transitions>\d+) transitions")]
    private static partial Regex UpdateLine();

    [GeneratedRegex(@"Update (?<update>\d+): train/mean_reward (?<reward>-?[0-9.]+(?:[eE][-+]?\d+)?|NaN) train/transitions (?<transitions>[0-9.]+(?:[eE][-+]?\d+)?)")]
    private static partial Regex MetricsLine();
}
