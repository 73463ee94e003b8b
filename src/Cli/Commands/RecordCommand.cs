using System.CommandLine;
using MsMano.Biomechanics.Model;
using MsMano.Cli.Recording;
using MsMano.Dashboard.Clips;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Refine;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>
/// `msmano record excitation|tracking|biopr --out FILE`: writes a viewer clip (msmano-clip JSON,
/// src/Dashboard/Clips/README.md). Put clips in the dashboard's clips folder (runs/cluster/clips for embedded) or open
/// them from disk in the viewer.
/// </summary>
public static class RecordCommand
{
    public static Command Create()
    {
        var command = new Command("record", "Record a hand clip for the dashboard's 3D viewer: a single-muscle excitation, IDNet tracking, or a BioPR result.");
        command.Subcommands.Add(Excitation());
        command.Subcommands.Add(Tracking());
        command.Subcommands.Add(BioPr());
        return command;
    }

    private static Option<string> Output(string name) => new("--out") { Description = "Clip file to write.", DefaultValueFactory = _ => $"runs/cluster/clips/{name}.json" };

    private static Command Excitation()
    {
        var muscle = new Option<string>("--muscle") { Description = "The one excited muscle (MyoHand name, e.g. FDS4, FDP2, EDC3, FPL).", DefaultValueFactory = _ => "FDS4" };
        var excitation = new Option<float>("--excitation") { Description = "Excitation in [0, 1].", DefaultValueFactory = _ => 1f };
        var seconds = new Option<double>("--seconds") { Description = "Seconds excited.", DefaultValueFactory = _ => 1.0 };
        var relax = new Option<double>("--relax") { Description = "Seconds released afterwards.", DefaultValueFactory = _ => 0.5 };
        Option<string> output = Output("excitation-fds4");
        var command = new Command("excitation", "One muscle excited alone from rest, then released (paper Fig. 6).") { muscle, excitation, seconds, relax, output };
        command.SetAction(parse =>
        {
            float u = parse.GetValue(excitation);
            if (u is < 0 or > 1 || parse.GetValue(seconds) <= 0 || parse.GetValue(relax) < 0)
            {
                throw new ArgumentException("--excitation must lie in [0, 1], --seconds be > 0 and --relax >= 0.");
            }
            return Write(ClipRecorders.Excitation(HandModelFile.LoadDefault(), parse.GetValue(muscle)!, u, parse.GetValue(seconds), parse.GetValue(relax)), parse.GetValue(output)!);
        });
        return command;
    }

    private static Command Tracking()
    {
        var policy = new Option<string?>("--policy") { Description = "IDNet policy snapshot (runs/idnet/idnet-policy.msgpack), or 'random' (default: the shipped IDNet, as evaluate)." };
        var motion = new Option<string>("--motion") { Description = "Reference motion spec (held-out synthetic clips by default).", DefaultValueFactory = _ => "synthetic:clips=4,seed=7" };
        var clip = new Option<int>("--clip-index") { Description = "Which clip of --motion to track.", DefaultValueFactory = _ => 0 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds to record (at most the clip's length).", DefaultValueFactory = _ => 3.0 };
        var noWrist = new Option<bool>("--no-wrist") { Description = "180-number observation (a policy trained with --no-wrist)." };
        Option<string> output = Output("tracking");
        Option<bool> clampPoses = PoseFlags.ClampPoses();
        var command = new Command("tracking", "IDNet drives the muscles (PD off) to track a reference motion; the reference is drawn as a ghost.") { policy, motion, clip, seconds, noWrist, output, clampPoses };
        command.SetAction(parse =>
        {
            HandModel model = HandModelFile.LoadDefault();
            IReadOnlyList<ReferenceMotion> motions = MotionCatalog.Load(parse.GetValue(motion)!, new MotionCatalogOptions { Model = model, OutOfRangePoses = PoseFlags.OutOfRange(parse, clampPoses) });
            int index = parse.GetValue(clip);
            if (index < 0 || index >= motions.Count)
            {
                throw new ArgumentException($"--clip-index {index}: --motion holds {motions.Count} clips.");
            }
            var options = new IdNetEnvironmentOptions { IncludeWrist = !parse.GetValue(noWrist) };
            return Write(ClipRecorders.Tracking(model, motions[index], EvaluateCommand.LoadPolicy(parse.GetValue(policy)), options, parse.GetValue(seconds)), parse.GetValue(output)!);
        });
        return command;
    }

    private static Command BioPr()
    {
        var policy = new Option<string?>("--policy") { Description = "IDNet policy snapshot (runs/idnet/idnet-policy.msgpack), or 'random' (default: the shipped IDNet, as evaluate)." };
        var train = new Option<int>("--train-sequences") { Description = "Synthetic training sequences for RefineNet.", DefaultValueFactory = _ => 24 };
        var iterations = new Option<int>("--iterations") { Description = "RefineNet iterations (the full benchmark uses 4,500).", DefaultValueFactory = _ => 600 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic motions and errors.", DefaultValueFactory = _ => 1 };
        var report = new Option<string>("--report") { Description = "Folder of the small benchmark's report.", DefaultValueFactory = _ => "runs/evaluation/clip" };
        Option<string> output = Output("biopr");
        var command = new Command("biopr", "A small synthetic BioPR benchmark; writes its first test sequence (ground truth, base, refined). `evaluate --clip` does the same for a full run.")
        {
            policy, train, iterations, seed, report, output,
        };
        command.SetAction(parse =>
        {
            var options = new EvaluationJobOptions
            {
                OutputDirectory = parse.GetValue(report)!,
                Synthetic = new SyntheticBenchmarkOptions { TrainSequences = parse.GetValue(train), TestSequences = 2, Seed = parse.GetValue(seed) },
                Benchmark = new BenchmarkOptions
                {
                    Refine = new RefineNetOptions { Iterations = parse.GetValue(iterations) },
                    IncludeFeedback = false,
                    IncludeAblations = false,
                },
            };
            return EvaluateCommand.Run(options, EvaluateCommand.LoadPolicy(parse.GetValue(policy)), parse.GetValue(output));
        });
        return command;
    }

    private static int Write(HandClip clip, string path)
    {
        clip.Save(path);
        Log.Information("Clip: {Path} ({Kind}, {Frames} frames at {Fps:0.#} fps, {Bytes:N0} bytes)", path, clip.Kind, clip.Frames, clip.Fps, new FileInfo(path).Length);
        return 0;
    }
}
