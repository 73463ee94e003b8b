using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using MsMano.Cluster.Shutdown;
using MsMano.Cluster.Simulation;
using MsMano.Cluster.Tls;
using MsMano.Dashboard.Hosting;
using MsMano.Environments.Rollouts;
using MsMano.Evaluation.Reports;
using MsMano.Learning.Ppo;
using Serilog;
using Spectre.Console;

namespace MsMano.Cli.Commands;

/// <summary>Everything the embedded run needs; defaults are the main job's.</summary>
public sealed record EmbeddedOptions
{
    public int SimNodes { get; init; } = 2;
    public int ActorsPerNode { get; init; } = 1;
    public int AgentsPerActor { get; init; } = 64;
    public TimeSpan? Duration { get; init; } = TimeSpan.FromMinutes(5);
    public long? MaxUpdates { get; init; }
    public int BatchSize { get; init; } = 16_384;

    /// <summary>Central learning: oldest policy version a batch may be acted by, behind the learner's (0: strictly on-policy; the sims' work during an update is dropped).</summary>
    public int MaxPolicyLag { get; init; } = 1;

    /// <summary>Updates per reward-plateau window (0: never stop on a plateau); null: the learner's default.</summary>
    public int? PlateauWindow { get; init; }
    public string OutputDirectory { get; init; } = "runs/cluster";
    public bool Fresh { get; init; }
    public SimSourceOptions Sources { get; init; } = new();

    /// <summary>
    /// Central (the learner node trains) or data-parallel (every simulation node trains its replica). The command's
    /// default is data-parallel; a caller that builds these options gets central unless it says otherwise.
    /// </summary>
    public LearningMode Learning { get; init; } = LearningMode.Central;

    /// <summary>Null: the defaults for <see cref="Sources"/> (on for idnet), MSMANO__EVALUATION__* applied, reports in &lt;out&gt;/evaluation.</summary>
    public EvaluationSettings? Evaluation { get; init; }

    /// <summary>The live dashboard on the learner's node (on by default, 127.0.0.1:8080, clips from &lt;out&gt;/clips when unset).</summary>
    public DashboardSettings Dashboard { get; init; } = new();

    /// <summary>Ends the run early, as Ctrl-C does (tests and hosts that embed the run).</summary>
    public CancellationToken Stop { get; init; }

    public EmbeddedOptions Validate()
    {
        if (SimNodes < 1 || ActorsPerNode < 1 || AgentsPerActor < 1 || BatchSize < 1)
        {
            throw new ArgumentException($"sims ({SimNodes}), actors ({ActorsPerNode}), agents ({AgentsPerActor}) and batch ({BatchSize}) must all be >= 1.");
        }
        if (Duration is null && MaxUpdates is null)
        {
            throw new ArgumentException("give a duration (--minutes) or an update budget (--updates).");
        }
        if (Duration is TimeSpan d && (d <= TimeSpan.Zero || d > TimeSpan.FromDays(30)))
        {
            throw new ArgumentException($"--minutes is {d.TotalMinutes}; give a number of minutes in (0, 43200].");
        }
        if (MaxUpdates is long u && u < 1)
        {
            throw new ArgumentException($"--updates is {u}; give at least 1.");
        }
        Sources.Validate();
        Evaluation?.Validate();
        return this;
    }
}

/// <summary>
/// The embedded default (`msmano` with no command, or `msmano embedded`): one process holding a learner node and N
/// simulation nodes, each its own ActorSystem, talking through Akka remoting over 127.0.0.1 exactly as separate
/// processes would; trains for a duration or an update budget with a progress display, then leaves gracefully
/// (the learner checkpoints on the way out, and a later run resumes from there). With evaluation on, the learner's node
/// also runs the BioPR evaluation: when training converges (or, with --evaluate-at-end, when the run ends) the
/// simulation nodes leave first, the run waits for the report and prints where it is.
/// </summary>
public static class EmbeddedCommand
{
    public static Command Create()
    {
        var sims = new Option<int>("--sims") { Description = "Simulation nodes (ActorSystems) in the process.", DefaultValueFactory = _ => 2 };
        var actors = new Option<int>("--actors") { Description = "Simulation actors per node.", DefaultValueFactory = _ => 1 };
        var agents = new Option<int>("--agents") { Description = "Agents per actor.", DefaultValueFactory = _ => 64 };
        var minutes = new Option<double?>("--minutes") { Description = "Wall-clock budget (default 5 unless --updates is given)." };
        var updates = new Option<long?>("--updates") { Description = "Stop after this many PPO updates (in total, resumed ones included)." };
        var batch = new Option<int>("--batch") { Description = "Transitions per PPO update.", DefaultValueFactory = _ => 16_384 };
        var maxPolicyLag = new Option<int>("--max-policy-lag") { Description = "Central learning: how many policy versions a batch may lag the learner (default 1: the sims keep collecting during an update; 0: strictly on-policy, as data-parallel is).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Run directory (checkpoints/, tensorboard/).", DefaultValueFactory = _ => "runs/cluster" };
        var fresh = new Option<bool>("--fresh") { Description = "Ignore an existing checkpoint in --out and start over." };
        var environment = new Option<string>("--env") { Description = "idnet (the hand) or synthetic (a cheap task for smoke runs).", DefaultValueFactory = _ => SimSourceOptions.IdNet };
        var motion = new Option<string>("--motion") { Description = "Training motion spec for --env idnet.", DefaultValueFactory = _ => new SimSourceOptions().Motion };
        var noWrist = new Option<bool>("--no-wrist") { Description = "180-number observation instead of the paper's 192." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of environments and learner.", DefaultValueFactory = _ => 1UL };
        Option<double> shapeSpread = ShapeSpreadFlag.Create();
        Option<string?> mano = ShapeSpreadFlag.Mano();
        Option<bool> clampPoses = PoseFlags.ClampPoses();
        var learning = new Option<string?>("--learning") { Description = "central (the learner node trains) or data-parallel (every simulation node trains; gradients summed round a ring). Default: MSMANO__LEARNING, else data-parallel (on one machine it trains faster and on fresher data; README)." };
        var evaluation = new EvaluationFlags();
        var dashboard = new DashboardFlags("127.0.0.1", "<out>/clips");
        var command = new Command("embedded", "Train IDNet on an in-process cluster: one learner node and N simulation nodes over loopback remoting.")
        {
            sims, actors, agents, minutes, updates, batch, maxPolicyLag, output, fresh, environment, motion, noWrist, seed, learning, shapeSpread, mano, clampPoses,
        };
        foreach (Option option in evaluation.All.Concat(dashboard.All))
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            EmbeddedOptions options = Options(parse, sims, actors, agents, minutes, updates, batch, output, fresh, environment, motion, noWrist, seed) with
            {
                // One machine's job: data-parallel is both faster and on-policy here (README, "Default").
                Learning = SimNodeFlags.LearningMode(SimNodeFlags.Build([new(LearningModes.Key, parse.GetValue(learning))]), LearningMode.DataParallel),
                MaxPolicyLag = parse.GetValue(maxPolicyLag),
            };
            options = options with
            {
                Sources = (options.Sources with
                {
                    ShapeSpread = parse.GetValue(shapeSpread),
                    ManoModelPath = parse.GetValue(mano),
                    OutOfRangePoses = PoseFlags.OutOfRange(parse, clampPoses),
                }).Validate(),
            };
            EvaluationSettings settings = EvaluationFlags.Bind(SimNodeFlags.Build(evaluation.Entries(parse)), options.Sources, DefaultEvaluationDirectory(options), mainJob: true);
            DashboardSettings web = dashboard.Bind(parse, SimNodeFlags.Build([]));
            web = web with { ClipsDirectory = web.ClipsDirectory == "<out>/clips" ? Path.Combine(options.OutputDirectory, "clips") : web.ClipsDirectory };
            return Run(options with { Evaluation = settings, Dashboard = web });
        });
        return command;
    }

    public static int Run(EmbeddedOptions options)
    {
        options.Validate();
        EvaluationSettings evaluation = options.Evaluation
            ?? EvaluationFlags.Bind(SimNodeFlags.Build([]), options.Sources, DefaultEvaluationDirectory(options), mainJob: true);
        return RunAsync(options, evaluation).GetAwaiter().GetResult();
    }

    private static string DefaultEvaluationDirectory(EmbeddedOptions options)
    {
        return Path.Combine(options.OutputDirectory, "evaluation");
    }

    private static EmbeddedOptions Options(
        ParseResult parse, Option<int> sims, Option<int> actors, Option<int> agents, Option<double?> minutes, Option<long?> updates,
        Option<int> batch, Option<string> output, Option<bool> fresh, Option<string> environment, Option<string> motion, Option<bool> noWrist, Option<ulong> seed)
    {
        long? maxUpdates = parse.GetValue(updates);
        double? budget = parse.GetValue(minutes) ?? (maxUpdates is null ? 5.0 : null);
        return new EmbeddedOptions
        {
            SimNodes = parse.GetValue(sims),
            ActorsPerNode = parse.GetValue(actors),
            AgentsPerActor = parse.GetValue(agents),
            Duration = budget is double m ? TimeSpan.FromMinutes(m) : null,
            MaxUpdates = maxUpdates,
            BatchSize = parse.GetValue(batch),
            OutputDirectory = parse.GetValue(output)!,
            Fresh = parse.GetValue(fresh),
            Sources = new SimSourceOptions
            {
                Environment = parse.GetValue(environment)!,
                Motion = parse.GetValue(motion)!,
                IncludeWrist = !parse.GetValue(noWrist),
                Seed = parse.GetValue(seed),
            },
        };
    }

    private static async Task<int> RunAsync(EmbeddedOptions options, EvaluationSettings evaluation)
    {
        string checkpoints = Path.Combine(options.OutputDirectory, "checkpoints");
        if (options.Fresh && Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }
        var learnerSettings = new LearnerSettings
        {
            BatchSize = options.BatchSize,
            CheckpointDirectory = checkpoints,
            TensorBoardDirectory = Path.Combine(options.OutputDirectory, "tensorboard"),
            MaxUpdates = options.MaxUpdates ?? 0,
            RolloutBounds = options.Sources.Bounds(),
            MaxPolicyLag = options.MaxPolicyLag,
        };
        if (options.PlateauWindow is int window)
        {
            learnerSettings = learnerSettings with { PlateauWindow = window };
        }
        PpoConfig ppo = options.Sources.Ppo();
        var simSettings = new SimulationNodeSettings { Actors = options.ActorsPerNode, Agents = options.AgentsPerActor };
        Log.Information(
            "Embedded cluster: 1 learner + {Sims} simulation nodes x {Actors} actors x {Agents} agents ({Environment}, obs {Obs}, act {Act}), batch {Batch:N0}, learning {Learning}, over 127.0.0.1",
            options.SimNodes, options.ActorsPerNode, options.AgentsPerActor, options.Sources.Environment, ppo.ObservationSize, ppo.ActionSize, options.BatchSize, options.Learning.Name());

        // Motions are read once for every node, and a bad file stops the run before any node starts.
        Func<string, Func<int, IRolloutSource>> sources = SimSources.Factories(options.Sources, options.AgentsPerActor);
        // Loopback remoting is still a TCP port other local processes can reach: mutual TLS with a per-run certificate.
        var tls = ClusterTls.Generate();
        var nodes = new List<ClusterNodeOptions> { ClusterNodeOptions.Local(ClusterRoles.Learner) with { Tls = tls } };
        nodes.AddRange(Enumerable.Range(0, options.SimNodes).Select(_ => ClusterNodeOptions.Local(ClusterRoles.Sim) with { Tls = tls }));
        LearnerProgress? latest = null;
        LearnerProgress? firstUpdate = null;
        EndOfRunEvaluation? evaluated = null;
        var phases = new PhaseTimes();
        var clock = Stopwatch.StartNew();
        // First SIGINT/SIGTERM: leave gracefully (the learner checkpoints), then exit. A second Ctrl-C kills as usual.
        using var signals = StopSignals.Register("leaving the cluster; the learner checkpoints first");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.Stop, signals.Token);
        {
            // No seeds: Cluster Bootstrap with config discovery over the nodes' loopback management ports, as between pods.
            await using (LocalCluster cluster = await LocalCluster.StartWithBootstrapAsync(nodes, TimeSpan.FromSeconds(60)).ConfigureAwait(false))
            {
                var learner = LearnerNode.Start(cluster.Nodes[0], learnerSettings, ppo, evaluation, options.Learning);
                await using DashboardServer? dashboard = await DashboardNode.StartAsync(cluster.Nodes[0], options.Dashboard with
                {
                    ClipsDirectory = options.Dashboard.ClipsDirectory ?? Path.Combine(options.OutputDirectory, "clips"),
                }, evaluation.Enabled).ConfigureAwait(false);
                if (dashboard is not null)
                {
                    AnsiConsole.MarkupLine($"Dashboard: [link]{Markup.Escape(dashboard.Url)}[/]");
                }
                LearnerHost.ListenForProgress(cluster.Nodes[0], progress =>
                {
                    latest = progress;
                    if (firstUpdate is null && progress.LastUpdate is not null)
                    {
                        firstUpdate = progress;
                    }
                });
                for (int i = 1; i < cluster.Nodes.Count; i++)
                {
                    string nodeId = $"sim-{i}";
                    // Data-parallel: each node's trainer shares this process's cores with the others.
                    Akka.Actor.IActorRef? trainer = options.Learning == LearningMode.DataParallel
                        ? DataParallelHost.StartTrainer(cluster.Nodes[i], nodeId, ppo,
                            learnerSettings with { TorchThreads = Math.Max(1, Environment.ProcessorCount / options.SimNodes) },
                            new MsMano.Cluster.Learner.DataParallel.DataParallelSettings())
                        : null;
                    SimulationNodeHost.Start(cluster.Nodes[i], simSettings with { NodeId = nodeId }, sources(nodeId), trainer);
                }
                await ShowProgressAsync(options, () => latest, () => cluster.Nodes[0].WhenTerminated.IsCompleted, clock, stop.Token).ConfigureAwait(false);
                phases.Training = clock.Elapsed;
                Log.Information("Training phase (cluster start included): {Seconds:F0} s", phases.Training.TotalSeconds);
                if (options.Learning == LearningMode.DataParallel)
                {
                    await FinishDataParallelRoundAsync(cluster.Nodes[0]).ConfigureAwait(false);
                }
                evaluated = await EvaluateAtEndAsync(cluster, learner, latest?.Status, stop.Token).ConfigureAwait(false);
                phases.Evaluation = clock.Elapsed - phases.Training;
                Log.Information("Evaluation phase (simulation nodes leaving included): {Seconds:F0} s", phases.Evaluation.TotalSeconds);
                Log.Information("Leaving the cluster: simulation nodes first, then the learner (which checkpoints)");
            }
        }
        PrintSummary(firstUpdate, latest, clock.Elapsed, phases, checkpoints, evaluated);
        return 0;
    }

    /// <summary>
    /// Data-parallel: the trainers are the simulation nodes, so before they leave the coordinator lets the round in
    /// flight finish and checkpoints the group from one of them (after they left, no member would hold the state).
    /// </summary>
    private static async Task FinishDataParallelRoundAsync(Akka.Actor.ActorSystem system)
    {
        var timeout = TimeSpan.FromSeconds(60);
        CheckpointAnswer answer = await LearnerHost.AskForCheckpointAsync(system, timeout).ConfigureAwait(false);
        if (answer == CheckpointAnswer.Saved)
        {
            Log.Information("Data-parallel: the last round finished and the group's state is checkpointed");
        }
        else
        {
            Log.Warning("Data-parallel: no end-of-training checkpoint ({Answer}, waited up to {Seconds:F0} s); the last checkpoint stands", answer, timeout.TotalSeconds);
        }
    }

    /// <summary>
    /// Waits for the final policy's report when there will be one. The simulation nodes leave first: training is over
    /// either way, and on a small machine the evaluation then has the cores to itself.
    /// </summary>
    private static async Task<EndOfRunEvaluation> EvaluateAtEndAsync(LocalCluster cluster, LearnerNode learner, Contracts.Training.TrainingStatus? last, CancellationToken stop)
    {
        if (stop.IsCancellationRequested)
        {
            return new EndOfRunEvaluation(null, "skipped: stopped with Ctrl-C");
        }
        if (learner.WillEvaluate(last))
        {
            Log.Information("Training is over; the simulation nodes leave before the evaluation");
            await Task.WhenAll(cluster.Nodes.Skip(1).Select(node => node.Terminate())).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        Task<EndOfRunEvaluation> waiting = learner.FinishEvaluationAsync(last, stop);
        if (learner.WillEvaluate(last))
        {
            await ShowEvaluationProgressAsync(() => learner.EvaluationProgress, waiting).ConfigureAwait(false);
        }
        EndOfRunEvaluation result = await waiting.ConfigureAwait(false);
        if (result.MarkdownPath is { } path)
        {
            Log.Information("Evaluation report: {Path} ({Headline})", path, result.Note);
        }
        return result;
    }

    /// <summary>One bar per stage of the evaluation actor's job (BioPR passes, RefineNet trainings, scoring) until it ends.</summary>
    private static async Task ShowEvaluationProgressAsync(Func<EvaluationProtocol.Progress?> latest, Task done)
    {
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                ProgressTask? current = null;
                int number = 0;
                while (!done.IsCompleted)
                {
                    if (latest() is { } p)
                    {
                        if (p.StageNumber != number)
                        {
                            if (current is not null)
                            {
                                current.Value = current.MaxValue;
                                current.StopTask();
                            }
                            current = ctx.AddTask(Markup.Escape($"evaluation {p.StageNumber}: {p.Stage}"), maxValue: Math.Max(1, p.Total));
                            number = p.StageNumber;
                        }
                        current!.Value = Math.Min(current.MaxValue, p.Done);
                    }
                    await Task.WhenAny(done, Task.Delay(250)).ConfigureAwait(false);
                }
                if (current is not null)
                {
                    current.Value = current.MaxValue;
                }
            }).ConfigureAwait(false);
    }

    private static async Task ShowProgressAsync(EmbeddedOptions options, Func<LearnerProgress?> latest, Func<bool> learnerGone, Stopwatch clock, CancellationToken stop)
    {
        double total = options.MaxUpdates ?? options.Duration!.Value.TotalSeconds;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                ProgressTask task = ctx.AddTask("starting the cluster", maxValue: total);
                while (!stop.IsCancellationRequested)
                {
                    LearnerProgress? p = latest();
                    bool timeUp = options.Duration is TimeSpan d && clock.Elapsed >= d;
                    // A learner node that shut down (downed, failed to start) ends the run too: nothing would ever finish it.
                    if (p?.Finished == true || timeUp || learnerGone())
                    {
                        break;
                    }
                    if (p is not null)
                    {
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"v{p.Status.PolicyVersion} reward {p.Status.MeanReward:F3} | {p.Nodes} nodes, {p.ClusterAgentStepsPerSecond:N0} agent-steps/s | learner busy {p.Utilisation:P0}");
                    }
                    double done = options.MaxUpdates is long max
                        ? Math.Max(p?.Status.Updates ?? 0, options.Duration is TimeSpan dd ? clock.Elapsed.TotalSeconds / dd.TotalSeconds * max : 0)
                        : clock.Elapsed.TotalSeconds;
                    task.Value = Math.Min(total, done);
                    try
                    {
                        await Task.Delay(250, stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
                task.Value = total;
            }).ConfigureAwait(false);
    }

    /// <summary>Wall time of the run's phases, for the closing table and the log.</summary>
    private sealed class PhaseTimes
    {
        public TimeSpan Training { get; set; }

        public TimeSpan Evaluation { get; set; }
    }

    private static void PrintSummary(LearnerProgress? first, LearnerProgress? last, TimeSpan elapsed, PhaseTimes phases, string checkpoints, EndOfRunEvaluation? evaluated)
    {
        Table table = new Table().Title("Embedded cluster run");
        table.AddColumns("", "value");
        if (last is null)
        {
            table.AddRow("progress", "the learner never reported (did the cluster form?)");
        }
        else
        {
            table.AddRow("policy version / updates", $"{last.Status.PolicyVersion} / {last.Status.Updates}");
            table.AddRow("mean reward: first update -> last", first is null
                ? $"{last.Status.MeanReward:F3}"
                : string.Create(CultureInfo.InvariantCulture, $"{first.Status.MeanReward:F3} -> {last.Status.MeanReward:F3}"));
            table.AddRow("transitions trained on (all runs)", $"{last.Status.TotalTransitions:N0}");
            table.AddRow("rollouts received this run", string.Create(CultureInfo.InvariantCulture,
                $"{last.ReceivedTransitions:N0} transitions ({last.ReceivedTransitions / Math.Max(1e-9, last.WallSeconds):N0}/s), {last.RolloutBytes / 1e6:F1} MB"));
            table.AddRow("stale / rejected chunks", $"{last.StaleChunks} / {last.RejectedChunks}");
            table.AddRow("learner busy (in PPO updates)", $"{last.Utilisation:P0}");
        }
        table.AddRow("wall time: training / evaluation / in all", string.Create(CultureInfo.InvariantCulture,
            $"{phases.Training.TotalMinutes:F1} / {phases.Evaluation.TotalMinutes:F1} / {elapsed.TotalMinutes:F1} min"));
        table.AddRow("checkpoints", Path.GetFullPath(checkpoints));
        if (evaluated is not null)
        {
            table.AddRow("evaluation", Markup.Escape(evaluated.Note));
            if (evaluated.MarkdownPath is { } report)
            {
                table.AddRow("evaluation report", Markup.Escape(report));
            }
        }
        AnsiConsole.Write(table);
        if (evaluated?.Report is { } written)
        {
            // The mission's closing lines: the evaluation actor's scores (from the cluster report), then where the full report is.
            Table scores = new Table().Title(Markup.Escape(written.Report.Title));
            scores.AddColumns("method", "MPJPE (mm)", "PA-MPJPE (mm)", "AUC (x100)", "AE (mm/frame^2)");
            foreach (string[] row in ReportHeadline.Rows(written.Report))
            {
                scores.AddRow(row.Select(Markup.Escape).ToArray());
            }
            AnsiConsole.Write(scores);
            AnsiConsole.MarkupLine(Markup.Escape($"Evaluation report: {evaluated.MarkdownPath}"));
        }
    }
}
