using System.CommandLine;
using System.Globalization;
using MsMano.Cluster.Bench;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Simulation;
using Spectre.Console;

namespace MsMano.Cli.Commands;

/// <summary>`msmano cluster-bench`: flags to <see cref="ClusterBenchSettings"/>, then <see cref="ClusterBench"/>'s table on the console.</summary>
public static class ClusterBenchCommand
{
    public static Command Create()
    {
        var nodes = new Option<string>("--nodes") { Description = "Comma-separated simulation node counts.", DefaultValueFactory = _ => "1,2,4" };
        var modes = new Option<string>("--modes") { Description = "train (PPO updates), collect (learner only receives), or both.", DefaultValueFactory = _ => "collect,train" };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per configuration.", DefaultValueFactory = _ => 30 };
        var rounds = new Option<int>("--rounds") { Description = "Sweeps over all configurations, interleaved; the median of each is reported (a shared machine is noisy).", DefaultValueFactory = _ => 1 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of warm-up after every node delivers, before measuring.", DefaultValueFactory = _ => 10 };
        var environment = new Option<string>("--env") { Description = "idnet (the hand) or synthetic (transport only).", DefaultValueFactory = _ => SimSourceOptions.IdNet };
        var actors = new Option<int>("--actors") { Description = "Simulation actors per node.", DefaultValueFactory = _ => 1 };
        var agents = new Option<int>("--agents") { Description = "Agents per actor.", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "Transitions per PPO update in train mode.", DefaultValueFactory = _ => 16_384 };
        var output = new Option<string>("--out") { Description = "PNG path (a .md table and a .json of the results are written beside it).", DefaultValueFactory = _ => "docs/cluster-bench.png" };
        var dashboard = new Option<bool>("--dashboard") { Description = "Run the learner with its dashboard on and one client reading its event stream (to measure the endpoint's cost; default off)." };
        var dashboardIdle = new Option<bool>("--dashboard-idle") { Description = "With --dashboard: no client reads the event stream (the endpoint up, no one watching)." };
        var replot = new Option<string?>("--replot") { Description = "Measure nothing: redraw the table, PNG and Markdown (at --out) from a saved .json (with --learning-quality: the PNG and Markdown beside a saved .csv)." };
        var learning = new Option<string>("--learning") { Description = "central, data-parallel, or both (comma-separated): who trains in train mode.", DefaultValueFactory = _ => LearningModes.CentralName };
        var pinCores = new Option<bool>("--pin-cores") { Description = "Pin simulation node i to core (i-1) mod cores and the learner to the last core (taskset), one torch thread each, so scaling is measured without time-sharing." };
        var reduceCost = new Option<bool>("--reduce-cost") { Description = "Measure only the data-parallel ring all-reduce between ActorSystems over loopback and write the cost model (allreduce-cost.md beside --out)." };
        var learningQuality = new Option<bool>("--learning-quality") { Description = "Measure no throughput: train with every --learning mode at every --seeds (fresh `embedded` runs of --updates updates) and write reward against transitions (CSV, PNG, Markdown; at --out if given, else docs/data-parallel/learning-quality.csv)." };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds of --learning-quality.", DefaultValueFactory = _ => "1,2,3" };
        var updates = new Option<int>("--updates") { Description = "PPO updates per --learning-quality run.", DefaultValueFactory = _ => 40 };
        var policyLags = new Option<string?>("--max-policy-lag") { Description = "--learning-quality only: comma-separated policy lags for the central runs, one curve each (e.g. 0,1); default: central's own lag." };
        var command = new Command("cluster-bench", "Launch 1, 2, 4, ... simulation node processes plus a learner on loopback and measure throughput and scaling.")
        {
            nodes, modes, seconds, warmup, rounds, environment, actors, agents, batch, output, replot, learning, pinCores, reduceCost, dashboard, dashboardIdle,
            learningQuality, seeds, updates, policyLags,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(replot) is string saved && !parse.GetValue(learningQuality))
            {
                var replotted = ClusterBenchResults.Load(saved);
                Print(replotted);
                ClusterBench.Write(replotted, parse.GetValue(output)!);
                return 0;
            }
            if (parse.GetValue(reduceCost))
            {
                AllReduceCostModel.Run(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(output)!))!, "allreduce-cost.md"));
                return 0;
            }
            if (parse.GetValue(learningQuality))
            {
                string[] modesToCompare = parse.GetResult(learning) is null or { Implicit: true }
                    ? [LearningModes.CentralName, LearningModes.DataParallelName]
                    : LearningNames(parse.GetValue(learning)!);
                int[] seedList = Items(parse.GetValue(seeds)!).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                int sims = parse.GetResult(nodes) is null or { Implicit: true } ? 2 : int.Parse(parse.GetValue(nodes)!.Split(',')[0], CultureInfo.InvariantCulture);
                if (seedList.Length == 0 || sims < 1)
                {
                    throw new ArgumentException("--learning-quality needs at least one seed in --seeds and one node count >= 1 in --nodes (the first is used).");
                }
                string csv = parse.GetResult(output) is null or { Implicit: true } ? "docs/data-parallel/learning-quality.csv" : Path.ChangeExtension(parse.GetValue(output)!, ".csv");
                var qualitySettings = new LearningQualitySettings(
                    modesToCompare, seedList, parse.GetValue(updates), sims, new SimSourceOptions { Environment = parse.GetValue(environment)! }.Validate().Environment,
                    parse.GetValue(batch), csv, typeof(ClusterBenchCommand).Assembly.Location)
                {
                    CentralLags = parse.GetValue(policyLags) is string lags ? PolicyLags(lags) : [],
                };
                if (parse.GetValue(replot) is string savedCsv)
                {
                    LearningQuality.Replot(qualitySettings with { Output = Path.ChangeExtension(savedCsv, ".csv") });
                    return 0;
                }
                LearningQuality.Run(qualitySettings);
                return 0;
            }
            int[] counts = Items(parse.GetValue(nodes)!).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
            string[] modeList = Items(parse.GetValue(modes)!);
            string[] learningList = LearningNames(parse.GetValue(learning)!);
            if (counts.Length == 0 || counts.Any(c => c < 1) || modeList.Any(m => m is not ("train" or "collect")) || parse.GetValue(rounds) < 1 || learningList.Length == 0)
            {
                throw new ArgumentException("--nodes must list counts >= 1, --modes only train and/or collect, --rounds at least 1, --learning central and/or data-parallel.");
            }
            if (parse.GetValue(dashboardIdle) && !parse.GetValue(dashboard))
            {
                throw new ArgumentException("--dashboard-idle: needs --dashboard (it only keeps the event-stream client away).");
            }
            var settings = new ClusterBenchSettings(
                counts, modeList, TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromSeconds(parse.GetValue(warmup)),
                new SimSourceOptions { Environment = parse.GetValue(environment)! }.Validate(),
                parse.GetValue(actors), parse.GetValue(agents), parse.GetValue(batch), parse.GetValue(output)!, parse.GetValue(rounds),
                typeof(ClusterBenchCommand).Assembly.Location, parse.GetValue(dashboard))
            {
                Learning = learningList,
                PinCores = parse.GetValue(pinCores),
                DashboardIdle = parse.GetValue(dashboardIdle),
            };
            ClusterBenchResults results = ClusterBench.Run(settings);
            Print(results);
            return results.Rows.Length > 0 ? 0 : 1;
        });
        return command;
    }

    private static string[] Items(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int[] PolicyLags(string list) => Items(list).Select(item =>
        int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int lag) && lag <= 1000
            ? lag
            : throw new ArgumentException($"--max-policy-lag: '{item}' is not a policy lag in [0, 1000] (comma-separated)."))
        .Distinct().ToArray();

    private static string[] LearningNames(string list) => Items(list).Select(l => LearningModes.Parse(l, "--learning").Name()).Distinct().ToArray();

    private static void Print(ClusterBenchResults results)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        Table table = new Table().Title(results.Title);
        // Short headers: the table must fit an 80-column console (the .md file has the long ones).
        table.AddColumns("mode", "learning", "nodes", "steps/s in", "steps/s sim", "trained/s", "MB/s", "busy", "stale", "effic.");
        foreach (ClusterBenchRow r in results.Rows)
        {
            table.AddRow(r.Mode, r.Learning ?? LearningModes.CentralName, r.Nodes.ToString(inv), r.DeliveredAgentStepsPerSecond.ToString("N0", inv), r.SimulatedAgentStepsPerSecond.ToString("N0", inv),
                r.TrainedTransitionsPerSecond.ToString("N0", inv), (r.RolloutBytesPerSecond / 1e6).ToString("F2", inv), r.LearnerUtilisation.ToString("P0", inv),
                r.StaleFraction.ToString("P0", inv), double.IsNaN(r.ScalingEfficiency) ? "-" : r.ScalingEfficiency.ToString("P0", inv));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(ClusterBench.CostLine(results.Cost)));
    }
}
