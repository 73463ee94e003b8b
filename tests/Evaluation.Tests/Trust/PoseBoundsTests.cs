using MsMano.Evaluation.Datasets;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace MsMano.Evaluation.Tests.Trust;

/// <summary>A pose of 1e30 rad is finite but no hand pose: motion and prediction files holding one are refused, naming file, field and value.</summary>
public sealed class PoseBoundsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("msmano-pose-bounds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("json", 1e30f)]
    [InlineData("csv", 1e30f)]
    [InlineData("json", -40f)]
    public void A_motion_file_with_a_pose_far_outside_the_joint_limits_is_refused(string format, float value)
    {
        float[] poses = new float[3 * ManoJoints.PoseSize];
        poses[ManoJoints.PoseSize + 7] = value; // frame 1, joint 2, axis y
        var sequence = new PoseSequence("bad", poses, 30);
        string path = Path.Combine(_directory, "bad." + format);
        if (format == "json")
        {
            PoseSequenceJson.Write(path, sequence);
        }
        else
        {
            PoseSequenceCsv.Write(path, sequence);
        }

        DataFormatException ex = Assert.Throws<DataFormatException>(() => format == "json" ? PoseSequenceJson.Read(path) : PoseSequenceCsv.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("poses[1][7]", ex.Message);
        Assert.Contains("joint 2", ex.Message);
    }

    [Fact]
    public void A_prediction_file_with_a_pose_far_outside_the_joint_limits_is_refused()
    {
        float[] poses = new float[2 * ManoJoints.PoseSize];
        poses[5] = 1e30f;
        var set = new PredictionSet("m", "synthetic", true, [new PredictedSequence("s", [0, 1], poses, null, null)]);
        string path = Path.Combine(_directory, "predictions.json");
        PredictionFile.Write(path, set);

        DataFormatException ex = Assert.Throws<DataFormatException>(() => PredictionFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("poses[0][5]", ex.Message);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public void Under_clamp_poses_a_motion_file_is_clamped_with_one_warning_naming_file_field_and_count(string format)
    {
        float[] poses = new float[3 * ManoJoints.PoseSize];
        poses[ManoJoints.PoseSize + 7] = 1e30f;
        poses[2 * ManoJoints.PoseSize] = -40f;
        poses[3] = 2.5f;
        string path = Path.Combine(_directory, "wild." + format);
        if (format == "json")
        {
            PoseSequenceJson.Write(path, new PoseSequence("wild", poses, 30));
        }
        else
        {
            PoseSequenceCsv.Write(path, new PoseSequence("wild", poses, 30));
        }

        (PoseSequence sequence, List<string> warnings) = Capture(() => format == "json" ? PoseSequenceJson.Read(path, OutOfRangePoses.Clamp) : PoseSequenceCsv.Read(path, OutOfRangePoses.Clamp));

        Assert.Equal(PoseBounds.AbsMax, sequence.Poses[ManoJoints.PoseSize + 7]);
        Assert.Equal(-PoseBounds.AbsMax, sequence.Poses[2 * ManoJoints.PoseSize]);
        Assert.Equal(2.5f, sequence.Poses[3], 5);
        string warning = Assert.Single(warnings);
        Assert.Contains(path, warning);
        Assert.Contains("clamped 2 of", warning);
        Assert.Contains("poses", warning);
    }

    [Fact]
    public void Under_clamp_poses_a_prediction_file_is_clamped_with_one_warning_for_the_whole_file()
    {
        float[] first = new float[2 * ManoJoints.PoseSize];
        float[] second = new float[2 * ManoJoints.PoseSize];
        first[5] = 1e30f;
        second[ManoJoints.PoseSize + 1] = -1e20f;
        var set = new PredictionSet("m", "synthetic", true,
            [new PredictedSequence("a", [0, 1], first, null, null), new PredictedSequence("b", [0, 1], second, null, null)]);
        string path = Path.Combine(_directory, "wild-predictions.json");
        PredictionFile.Write(path, set);

        (PredictionSet read, List<string> warnings) = Capture(() => PredictionFile.Read(path, OutOfRangePoses.Clamp));

        Assert.Equal(PoseBounds.AbsMax, read.Sequences[0].Poses![5]);
        Assert.Equal(-PoseBounds.AbsMax, read.Sequences[1].Poses![ManoJoints.PoseSize + 1]);
        string warning = Assert.Single(warnings);
        Assert.Contains(path, warning);
        Assert.Contains($"clamped 2 of {4 * ManoJoints.PoseSize}", warning);
        Assert.Contains("sequences[*].poses", warning);
    }

    [Fact]
    public void Clamping_never_invents_a_pose_for_a_non_finite_value()
    {
        float[] poses = new float[ManoJoints.PoseSize * 2];
        poses[4] = float.PositiveInfinity;
        Assert.Throws<DataFormatException>(() => PoseBounds.Apply(poses, "x.json", "poses", OutOfRangePoses.Clamp));
    }

    private static (T Result, List<string> Warnings) Capture<T>(Func<T> read)
    {
        var sink = new CollectingSink();
        ILogger previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        try
        {
            T result = read();
            return (result, sink.Warnings.Where(w => w.Contains("--clamp-poses", StringComparison.Ordinal)).ToList());
        }
        finally
        {
            Log.Logger = previous;
        }
    }

    private sealed class CollectingSink : ILogEventSink
    {
        public List<string> Warnings { get; } = [];

        public void Emit(LogEvent logEvent)
        {
            if (logEvent.Level == LogEventLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Add(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
    }

    [Fact]
    public void Poses_within_bounds_still_load()
    {
        float[] poses = new float[2 * ManoJoints.PoseSize];
        poses[10] = 3f;
        string path = Path.Combine(_directory, "ok.json");
        PoseSequenceJson.Write(path, new PoseSequence("ok", poses, 30));
        Assert.Equal(poses, PoseSequenceJson.Read(path).Poses);
    }
}
