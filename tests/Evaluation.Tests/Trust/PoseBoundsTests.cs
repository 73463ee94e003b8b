using MsMano.ModelFormats;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.Evaluation.Metrics;

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
        var poses = new float[3 * ManoJoints.PoseSize];
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

        var ex = Assert.Throws<DataFormatException>(() => format == "json" ? PoseSequenceJson.Read(path) : PoseSequenceCsv.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("poses[1][7]", ex.Message);
        Assert.Contains("joint 2", ex.Message);
    }

    [Fact]
    public void A_prediction_file_with_a_pose_far_outside_the_joint_limits_is_refused()
    {
        var poses = new float[2 * ManoJoints.PoseSize];
        poses[5] = 1e30f;
        var set = new PredictionSet("m", "synthetic", true, [new PredictedSequence("s", [0, 1], poses, null, null)]);
        string path = Path.Combine(_directory, "predictions.json");
        PredictionFile.Write(path, set);

        var ex = Assert.Throws<DataFormatException>(() => PredictionFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("poses[0][5]", ex.Message);
    }

    [Fact]
    public void Poses_within_bounds_still_load()
    {
        var poses = new float[2 * ManoJoints.PoseSize];
        poses[10] = 3f;
        string path = Path.Combine(_directory, "ok.json");
        PoseSequenceJson.Write(path, new PoseSequence("ok", poses, 30));
        Assert.Equal(poses, PoseSequenceJson.Read(path).Poses);
    }
}
