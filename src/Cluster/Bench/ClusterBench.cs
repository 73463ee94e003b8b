using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Simulation;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Serialization;
using MsMano.Environments.Rollouts;
using ScottPlot.Plottables;
using Serilog;

namespace MsMano.Cluster.Bench;

/// <summary>One measured configuration of cluster-bench.</summary>
public sealed record ClusterBenchRow(
    string Mode,
    string Learning,
    int Nodes,
    double DeliveredAgentStepsPerSecond,
    double SimulatedAgentStepsPerSecond,
    double TrainedTransitionsPerSecond,
    double RolloutBytesPerSecond,
    double LearnerUtilisation,
    double UpdatesPerMinute,
    double StaleFraction,
    double LoadAverage)
{
    /// <summary>
    /// throughput(n) / (n x throughput(1)) against the 1-node row of the same mode and learning: transitions trained
    /// on in train mode, delivered in collect mode. NaN until that row is known.
    /// </summary>
    public double ScalingEfficiency { get; init; } = double.NaN;
}

/// <summary>What one rollout transition costs to serialize against what it costs to simulate.</summary>
public sealed record StepCost(SerializationCost Serialization, double SimulateMicrosecondsPerAgentStep, int ChunkAgents);

/// <summary>What one cluster-bench run measures: node counts, modes (train, collect), timing, what the nodes step.</summary>
/// <param name="NodeAssembly">The msmano.dll the learner and simulation node processes run.</param>
public sealed record ClusterBenchSettings(
    int[] Nodes, string[] Modes, TimeSpan Measure, TimeSpan Warmup, SimSourceOptions Sources, int Actors, int Agents, int Batch, string Output, int Rounds,
    string NodeAssembly, bool Dashboard = false)
{
    /// <summary>Who trains in train mode: central, data-parallel, or both, measured side by side.</summary>
    public string[] Learning { get; init; } = [LearningModes.CentralName];

    /// <summary>One core per node process (taskset) and one torch thread each: scaling without time-sharing.</summary>
    public bool PinCores { get; init; }

    /// <summary>With <see cref="Dashboard"/>: no client reads the event stream (the endpoint up, no one watching).</summary>
    public bool DashboardIdle { get; init; }
}

/// <summary>Everything a cluster-bench run measured, saved as JSON beside the PNG so it can be re-plotted (--replot).</summary>
public sealed record ClusterBenchResults(string Title, string PlotTitle, ClusterBenchRow[] Rows, StepCost Cost)
{
    private static readonly System.Text.Json.JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        // Scaling efficiency is NaN where no 1-node row exists.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string path) => File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(this, s_json));

    public static ClusterBenchResults Load(string path) =>
        System.Text.Json.JsonSerializer.Deserialize<ClusterBenchResults>(File.ReadAllText(path), s_json)
        ?? throw new InvalidDataException($"{path} holds no cluster-bench results.");
}

/// <summary>
/// `msmano cluster-bench`: the throughput experiment. For each node count (1, 2, 4 by default) it launches a learner
/// process and that many simulation node processes on 127.0.0.1, lets them warm up, then measures from the learner's
/// counters: agent-steps/s delivered, rollout bytes/s, learner utilisation (fraction of wall time inside PPO
/// updates) and scaling efficiency. "train" runs real PPO updates; "collect" makes the learner a validating sink, so
/// the transport and the simulators are measured without the learner as the bottleneck. Prints a table, writes a
/// PNG and a Markdown table, and reports the serialisation cost per transition next to the simulator's step cost.
/// The CLI command (<c>cluster-bench</c>) only parses flags and prints the table.
/// </summary>
public static class ClusterBench
{
    /// <summary>Measures every configuration, writes JSON, PNG and Markdown beside <see cref="ClusterBenchSettings.Output"/>.</summary>
    public static ClusterBenchResults Run(ClusterBenchSettings settings)
    {
        StepCost cost = MeasureStepCost(settings);
        string runDirectory = Path.Combine(Path.GetTempPath(), $"msmano-cluster-bench-{Environment.ProcessId}");
        var measured = new List<ClusterBenchRow>();
        // SIGINT or SIGTERM: stop measuring; the child processes are shut down, the rows so far reported.
        using var cancel = Shutdown.StopSignals.Register("stopping the benchmark; child processes are being shut down");
        try
        {
            // Rounds are interleaved so a burst of load from elsewhere hits one sample of each configuration, not all.
            for (int round = 1; round <= settings.Rounds; round++)
            {
                foreach (string mode in settings.Modes)
                {
                    // Collect mode trains nothing, so who would train does not matter: measured once, as central.
                    foreach (string learning in mode == "collect" ? [LearningModes.CentralName] : settings.Learning)
                    {
                        foreach (int n in settings.Nodes)
                        {
                            cancel.Token.ThrowIfCancellationRequested();
                            ClusterBenchRow row = MeasureRound(settings, mode, learning, n, Path.Combine(runDirectory, $"{mode}-{learning}-{n}-r{round}"), cancel.Token);
                            measured.Add(row);
                            Log.Information("Round {Round}, {Mode} {Learning} x{Nodes}: {Rate:N0} agent-steps/s delivered, {Trained:N0}/s trained on, learner busy {Busy:P0}",
                                round, mode, learning, n, row.DeliveredAgentStepsPerSecond, row.TrainedTransitionsPerSecond, row.LearnerUtilisation);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            Log.Warning("Benchmark cancelled after {Rows} measurements", measured.Count);
        }
        IReadOnlyList<ClusterBenchRow> rows = Medians(measured);
        return Report(settings, rows, cost, runDirectory);
    }

    /// <summary>Per configuration, the round with the median delivered throughput; efficiency from those medians.</summary>
    private static IReadOnlyList<ClusterBenchRow> Medians(IReadOnlyList<ClusterBenchRow> measured)
    {
        var medians = measured
            .GroupBy(r => (r.Mode, r.Learning, r.Nodes))
            .Select(g => g.OrderBy(Throughput).ElementAt((g.Count() - 1) / 2))
            .ToList();
        return medians
            .Select(r => medians.FirstOrDefault(s => s.Mode == r.Mode && s.Learning == r.Learning && s.Nodes == 1) is { } single
                ? r with { ScalingEfficiency = Throughput(r) / (r.Nodes * Throughput(single)) }
                : r)
            .ToList();
    }

    /// <summary>What a row is judged by: transitions trained on in train mode, delivered in collect mode.</summary>
    public static double Throughput(ClusterBenchRow row)
    {
        return row.Mode == "train" ? row.TrainedTransitionsPerSecond : row.DeliveredAgentStepsPerSecond;
    }

    private static ClusterBenchRow MeasureRound(ClusterBenchSettings settings, string mode, string learning, int n, string directory, CancellationToken cancel)
    {
        Directory.CreateDirectory(directory);
        string status = Path.Combine(directory, "learner-status.json");
        int port = FreePort();
        string seed = $"akka.tcp://msmano@127.0.0.1:{port}";
        string[] common = ["--hostname", "127.0.0.1", "--public-hostname", "127.0.0.1", "--seeds", seed, "--readiness-file", "", "--env", settings.Sources.Environment, "--learning", learning];
        int cores = Environment.ProcessorCount;
        // Pinned: simulation node i on core (i-1) mod cores, the learner on the last core, one torch thread each.
        string[] oneThread = settings.PinCores ? ["--torch-threads", "1"] : [];
        int? CoreOf(int node) => settings.PinCores ? (node - 1) % cores : null;
        using var processes = new ClusterBenchProcesses(directory, settings.NodeAssembly);
        Log.Information("{Mode} with {Nodes} simulation node process(es): starting (logs in {Directory})", mode, n, directory);
        var learnerArgs = new List<string>(["learner", "--port", port.ToString(CultureInfo.InvariantCulture), .. common,
            "--checkpoints", "", "--status-file", status, "--batch", settings.Batch.ToString(CultureInfo.InvariantCulture),
            // The benchmark measures transport and training only; an evaluation would compete for the cores.
            "--no-evaluate"]);
        if (mode == "collect")
        {
            learnerArgs.Add("--no-train");
        }
        learnerArgs.AddRange(oneThread);
        int dashboardPort = settings.Dashboard ? FreePort() : 0;
        learnerArgs.AddRange(settings.Dashboard ? ["--dashboard-port", dashboardPort.ToString(CultureInfo.InvariantCulture), "--dashboard-host", "127.0.0.1"] : ["--no-dashboard"]);
        processes.Start("learner", learnerArgs, settings.PinCores ? cores - 1 : null);
        using ClusterBenchDashboardClient? watcher = settings.Dashboard && !settings.DashboardIdle ? ClusterBenchDashboardClient.Start(dashboardPort) : null;
        WaitFor(processes, status, s => s is not null, TimeSpan.FromSeconds(90), "the learner to start", cancel);
        for (int i = 1; i <= n; i++)
        {
            processes.Start($"sim-{i}", ["sim", "--port", "0", .. common, "--node-id", $"sim-{i}",
                "--actors", settings.Actors.ToString(CultureInfo.InvariantCulture), "--agents", settings.Agents.ToString(CultureInfo.InvariantCulture),
                .. (learning == LearningModes.DataParallelName ? oneThread : [])], CoreOf(i));
        }
        WaitFor(processes, status, s => s is not null && s.Nodes == n && (mode == "collect" ? s.ReceivedTransitions > 0 : s.Updates >= 1), TimeSpan.FromSeconds(180),
            $"{n} node(s) to deliver", cancel);
        if (mode == "train")
        {
            // A node that joined after the first update is still cold (tier-0 JIT: its first rounds collect several times
            // slower); the warm-up counts from two more updates with every node present, so each has run whole rounds.
            long joined = LearnerStatusFile.TryRead(status)?.Updates ?? 0;
            WaitFor(processes, status, s => s is not null && s.Updates >= joined + 2, TimeSpan.FromSeconds(180), $"{n} node(s) to train two rounds together", cancel);
        }
        Sleep(settings.Warmup, cancel);

        LearnerStatusFile start = LearnerStatusFile.TryRead(status)!;
        var simulated = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < settings.Measure)
        {
            Sleep(TimeSpan.FromSeconds(1), cancel);
            simulated.Add(LearnerStatusFile.TryRead(status)?.ClusterAgentStepsPerSecond ?? 0);
        }
        LearnerStatusFile end = LearnerStatusFile.TryRead(status)!;
        processes.StopAll(TimeSpan.FromSeconds(30));

        double wall = end.WallSeconds - start.WallSeconds;
        long chunks = end.ReceivedChunks - start.ReceivedChunks;
        // Trained transitions over whole updates (first to last finished in the window): sampling the counter at the
        // window's edges instead errs by up to one batch, about 10 % of a 20 s window at 8k transitions/s.
        double updateWall = end.LastUpdateWallSeconds - start.LastUpdateWallSeconds;
        double trained = end.Updates - start.Updates >= 2 && start.LastUpdateWallSeconds > 0 && updateWall > 0
            ? (end.TotalTransitions - start.TotalTransitions) / updateWall
            : (end.TotalTransitions - start.TotalTransitions) / wall;
        return new ClusterBenchRow(
            mode,
            learning,
            n,
            (end.ReceivedTransitions - start.ReceivedTransitions) / wall,
            simulated.Count > 0 ? simulated.Average() : 0,
            trained,
            (end.RolloutBytes - start.RolloutBytes) / wall,
            (end.UpdateSeconds - start.UpdateSeconds) / wall,
            (end.Updates - start.Updates) / wall * 60,
            chunks > 0 ? (double)(end.StaleChunks - start.StaleChunks) / chunks : 0,
            LoadAverage());
    }

    private static StepCost MeasureStepCost(ClusterBenchSettings settings)
    {
        SimSourceOptions sources = settings.Sources;
        int steps = new Cluster.Simulation.SimulationNodeSettings().StepsPerCollection;
        int chunkAgents = RolloutChunkLayout.Plan(settings.Agents, steps, sources.ObservationSize, sources.ActionSize)[0].AgentCount;
        SerializationCost serialization = SerializationCostBenchmark.Measure(chunkAgents, steps, sources.ObservationSize, sources.ActionSize, iterations: 500);
        Log.Information("Measuring the simulator's own step cost (one actor, in process)");
        double microseconds;
        {
            using IRolloutSource source = SimSources.Factory(sources, settings.Agents, "bench")(0);
            var buffer = new RolloutBuffer(steps, source.AgentCount, source.ObservationSize, source.ActionSize);
            for (int i = 0; i < 5; i++)
            {
                source.Collect(buffer);
            }
            long agentSteps = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                source.Collect(buffer);
                agentSteps += buffer.Transitions;
            }
            microseconds = clock.Elapsed.TotalMicroseconds / agentSteps;
        }
        return new StepCost(serialization, microseconds, chunkAgents);
    }

    private static ClusterBenchResults Report(ClusterBenchSettings settings, IReadOnlyList<ClusterBenchRow> rows, StepCost cost, string runDirectory)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        string title = string.Create(inv,
            $"cluster-bench: {settings.Sources.Environment}, {settings.Actors} actor(s) x {settings.Agents} agents per node, batch {settings.Batch:N0}, {Environment.ProcessorCount} cores, median of {settings.Rounds} round(s) x {settings.Measure.TotalSeconds:F0} s");
        string plotTitle = string.Create(inv,
            $"cluster-bench: {settings.Sources.Environment}, {settings.Agents * settings.Actors} agents per node, {Environment.ProcessorCount} cores (median of {settings.Rounds})");
        var results = new ClusterBenchResults(title, plotTitle, [.. rows], cost);
        string png = Path.GetFullPath(settings.Output);
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        results.Save(Path.ChangeExtension(png, ".json"));
        Write(results, png);
        Log.Information("Node logs under {Logs}", runDirectory);
        return results;
    }

    /// <summary>Writes the PNG and the Markdown table of <paramref name="results"/> (at <paramref name="output"/> and beside it).</summary>
    public static void Write(ClusterBenchResults results, string output)
    {
        string costLine = CostLine(results.Cost);
        string png = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        if (results.Rows.Length > 0)
        {
            Plot(results.Rows, png, results.PlotTitle);
        }
        string markdown = Path.ChangeExtension(png, ".md");
        File.WriteAllText(markdown, Markdown(results.Title, results.Rows, costLine, Path.GetFileName(png)));
        Log.Information("Wrote {Png} and {Markdown}", png, markdown);
    }

    /// <summary>The serialisation cost per transition against the simulator's step cost, in one sentence.</summary>
    public static string CostLine(StepCost cost)
    {
        SerializationCost s = cost.Serialization;
        double serdes = s.SerializeMicrosecondsPerTransition + s.DeserializeMicrosecondsPerTransition;
        return string.Create(CultureInfo.InvariantCulture,
            $"Serialisation per transition ({s.Agents} agents x {s.Steps} steps per chunk): {s.BytesPerTransition:F0} bytes, serialize {s.SerializeMicrosecondsPerTransition:F3} us + " +
            $"deserialize {s.DeserializeMicrosecondsPerTransition:F3} us = {serdes:F3} us, against {cost.SimulateMicrosecondsPerAgentStep:F1} us to simulate one agent-step " +
            $"(policy inference included): {serdes / cost.SimulateMicrosecondsPerAgentStep:P2} of the step cost.");
    }

    private static string Markdown(string title, IReadOnlyList<ClusterBenchRow> rows, string costLine, string png)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"# {title}",
            "",
            "| mode | learning | sim nodes | agent-steps/s delivered | agent-steps/s simulated | transitions/s trained on | rollout MB/s | learner busy | updates/min | stale chunks | scaling efficiency | host load (1 min) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (ClusterBenchRow r in rows)
        {
            lines.Add(string.Create(inv,
                $"| {r.Mode} | {r.Learning ?? "central"} | {r.Nodes} | {r.DeliveredAgentStepsPerSecond:N0} | {r.SimulatedAgentStepsPerSecond:N0} | {r.TrainedTransitionsPerSecond:N0} | {r.RolloutBytesPerSecond / 1e6:F2} | {r.LearnerUtilisation:P0} | {r.UpdatesPerMinute:F1} | {r.StaleFraction:P0} | {(double.IsNaN(r.ScalingEfficiency) ? "-" : r.ScalingEfficiency.ToString("P0", inv))} | {r.LoadAverage:F1} |"));
        }
        lines.Add("");
        lines.Add("- *delivered*: transitions reaching the learner (stale ones included); *simulated*: the nodes' own reports;");
        lines.Add("  *trained on*: transitions that went into PPO updates; *learner busy*: share of wall time inside updates");
        lines.Add("  (data-parallel: inside the group's update, all-reduce included; its rollouts stay on their node, so 0 MB/s);");
        lines.Add("  *scaling efficiency*: trained(n) / (n x trained(1)) in train mode, delivered(n) / (n x delivered(1)) in collect");
        lines.Add("  mode, against the 1-node row of the same mode and learning.");
        lines.Add("- *host load*: the machine's 1-minute load average at the end of the measurement; above the core count, other");
        lines.Add("  work was competing for the cores and the row understates what the cluster can do.");
        lines.Add(string.Create(inv, $"- This machine has {Environment.ProcessorCount} cores shared by the learner and every node process (one simulation thread each), so past {Environment.ProcessorCount} nodes the processes time-share the cores and efficiency is bounded by {Environment.ProcessorCount}/n."));
        lines.Add("");
        lines.Add(costLine);
        lines.Add("");
        lines.Add($"![cluster-bench]({png})");
        return string.Join('\n', lines) + "\n";
    }

    private static void Plot(IReadOnlyList<ClusterBenchRow> rows, string path, string title)
    {
        var plot = new ScottPlot.Plot();
        foreach (IGrouping<(string Mode, string Learning), ClusterBenchRow> group in rows.GroupBy(r => (r.Mode, Learning: r.Learning ?? "central")))
        {
            ClusterBenchRow[] ordered = group.OrderBy(r => r.Nodes).ToArray();
            Scatter line = plot.Add.Scatter(ordered.Select(r => (double)r.Nodes).ToArray(), ordered.Select(Throughput).ToArray());
            string name = group.Key.Mode == "train" ? $"train, {group.Key.Learning}" : "collect";
            line.LegendText = group.Key.Mode == "train" ? $"{name}: transitions/s trained on" : "collect: agent-steps/s delivered";
            line.LineWidth = 2;
            line.MarkerSize = 8;
            if (ordered.FirstOrDefault(r => r.Nodes == 1) is { } single)
            {
                Scatter ideal = plot.Add.Scatter(ordered.Select(r => (double)r.Nodes).ToArray(), ordered.Select(r => r.Nodes * Throughput(single)).ToArray());
                ideal.LegendText = $"{name}: linear from 1 node";
                ideal.LinePattern = ScottPlot.LinePattern.Dashed;
                ideal.MarkerSize = 0;
                ideal.Color = line.Color;
            }
        }
        double[] counts = rows.Select(r => (double)r.Nodes).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            counts, counts.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Title(title);
        plot.XLabel("simulation node processes");
        plot.YLabel("transitions (agent-steps) per second");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 900, 560);
    }

    private static void WaitFor(ClusterBenchProcesses processes, string statusPath, Func<LearnerStatusFile?, bool> condition, TimeSpan timeout, string what, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(LearnerStatusFile.TryRead(statusPath)))
        {
            processes.ThrowIfAnyExited();
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; see the node logs beside {statusPath}.");
            }
            Sleep(TimeSpan.FromMilliseconds(500), cancel);
        }
    }

    private static void Sleep(TimeSpan duration, CancellationToken cancel)
    {
        if (cancel.WaitHandle.WaitOne(duration))
        {
            throw new OperationCanceledException(cancel);
        }
    }

    /// <summary>The host's 1-minute load average (Linux), to show how busy the shared machine was; NaN elsewhere.</summary>
    private static double LoadAverage()
    {
        try
        {
            string first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
