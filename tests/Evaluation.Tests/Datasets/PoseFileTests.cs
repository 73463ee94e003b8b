using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;
using MsMano.TestSupport;

namespace MsMano.Evaluation.Tests.Datasets;

public sealed class PoseFileTests
{
    [Fact]
    public void Json_and_csv_round_trip()
    {
        using var dir = new TempDir();
        var rng = new Random(4);
        float[] poses = Enumerable.Range(0, 3 * 48).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] betas = Enumerable.Range(0, 10).Select(i => i * 0.1f).ToArray();
        var sequence = new PoseSequence("seq01", poses, 30, betas, synthetic: true);

        string json = dir.File("seq.json");
        PoseSequenceJson.Write(json, sequence);
        PoseSequence fromJson = PoseSequenceJson.Read(json);
        Assert.Equal(poses, fromJson.Poses);
        Assert.Equal(betas, fromJson.Betas);
        Assert.True(fromJson.Synthetic);
        Assert.Equal(30, fromJson.Fps);

        string csv = dir.File("seq.csv");
        PoseSequenceCsv.Write(csv, sequence with { Betas = null, Synthetic = false });
        PoseSequence fromCsv = PoseSequenceCsv.Read(csv);
        Assert.Equal(poses, fromCsv.Poses);
        Assert.Null(fromCsv.Betas);
        Assert.False(fromCsv.Synthetic);
        Assert.Equal("seq01", fromCsv.Name);
    }

    [Fact]
    public void Bad_pose_files_name_file_and_field()
    {
        using var dir = new TempDir();
        string json = dir.File("bad.json");
        File.WriteAllText(json, """{"format": "msmano-pose-sequence", "version": 1, "fps": 30, "poses": [[1, 2, 3]]}""");
        DataFormatException shortRow = Assert.Throws<DataFormatException>(() => PoseSequenceJson.Read(json));
        Assert.Contains("poses[0]", shortRow.Message);
        Assert.Contains("3 numbers, expected 48", shortRow.Message);

        File.WriteAllText(json, """{"format": "msmano-pose-sequence", "version": 1, "poses": []}""");
        Assert.Contains("fps: key is missing", Assert.Throws<DataFormatException>(() => PoseSequenceJson.Read(json)).Message);

        File.WriteAllText(json, """{"format": "msmano-pose-sequence", "version": 1, "fps": 30, "poses": [[NaN""");
        Assert.Contains("invalid JSON", Assert.Throws<DataFormatException>(() => PoseSequenceJson.Read(json)).Message);

        string csv = dir.File("bad.csv");
        string header = "frame," + string.Join(',', Enumerable.Range(0, 48).Select(i => $"p{i}"));
        File.WriteAllText(csv, $"# fps: 30\n{header}\n0,{string.Join(',', Enumerable.Repeat("0", 47))},NaN\n");
        DataFormatException nan = Assert.Throws<DataFormatException>(() => PoseSequenceCsv.Read(csv));
        Assert.Contains("line 3 p47", nan.Message);

        File.WriteAllText(csv, $"{header}\n0,{string.Join(',', Enumerable.Repeat("0", 48))}\n");
        Assert.Contains("# fps", Assert.Throws<DataFormatException>(() => PoseSequenceCsv.Read(csv)).Message);

        File.WriteAllText(csv, $"# fps: 30\n{header}\n1,{string.Join(',', Enumerable.Repeat("0", 48))}\n");
        Assert.Contains("should be 0", Assert.Throws<DataFormatException>(() => PoseSequenceCsv.Read(csv)).Message);
    }

    [Fact]
    public void Prediction_file_round_trip_and_units()
    {
        using var dir = new TempDir();
        var joints = new Keypoints(Enumerable.Range(0, 2 * 63).Select(i => i * 0.001).ToArray(), 2, 21);
        var set = new PredictionSet("gSDF", "dexycb-s0-test", true,
            [new PredictedSequence("a", [4, 5], Enumerable.Range(0, 96).Select(i => i * 0.01f).ToArray(), joints, null)]);
        string path = dir.File("pred.json");
        PredictionFile.Write(path, set);
        PredictionSet back = PredictionFile.Read(path);
        Assert.Equal("gSDF", back.Method);
        Assert.True(back.Synthetic);
        Assert.Equal([4, 5], back.Sequences[0].Frames);
        Assert.Equal(joints.Values, back.Sequences[0].JointsM!.Values);
        Assert.Equal(set.Sequences[0].Poses, back.Sequences[0].Poses);

        File.WriteAllText(path, $$"""{"format": "msmano-predictions", "method": "m", "unit": "mm", "sequences": [{"name": "s", "frames": [0], "joints": [[{{string.Join(',', Enumerable.Repeat("1000", 63))}}]]}]}""");
        Assert.Equal(1.0, PredictionFile.Read(path).Sequences[0].JointsM![0, 20, 2], 12);

        File.WriteAllText(path, """{"format": "msmano-predictions", "method": "m", "sequences": [{"name": "s", "frames": [0, 1]}]}""");
        Assert.Contains("neither 'poses' nor 'joints'", Assert.Throws<DataFormatException>(() => PredictionFile.Read(path)).Message);

        File.WriteAllText(path, $$"""{"format": "msmano-predictions", "method": "m", "sequences": [{"name": "s", "frames": [0, 1], "poses": [[{{string.Join(',', Enumerable.Repeat("0", 48))}}]]}]}""");
        DataFormatException rows = Assert.Throws<DataFormatException>(() => PredictionFile.Read(path));
        Assert.Contains("sequences[0].poses", rows.Message);
        Assert.Contains("1 rows", rows.Message);
    }

    [Fact]
    public void Prediction_file_undoes_a_yz_flip_and_keeps_the_pose_frame()
    {
        using var dir = new TempDir();
        string path = dir.File("pred.json");
        string joints = string.Join(',', Enumerable.Range(0, 63).Select(i => (i % 3 == 0 ? 1 : -2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // Global rotation: a quarter turn about y, written after diag(1, -1, -1) as Deformer's released code does.
        Mat3 flipped = Mat3.Diagonal(1, -1, -1) * Mat3.RotY(Math.PI / 2);
        Vec3 g = flipped.Log();
        string pose = string.Join(',', new[] { g.X, g.Y, g.Z }.Concat(Enumerable.Repeat(0.1, 45)).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(path, $$"""{"format": "msmano-predictions", "method": "Deformer", "flip_yz": true, "pose_frame": "mano", "sequences": [{"name": "s", "frames": [0], "poses": [[{{pose}}]], "joints": [[{{joints}}]]}]}""");
        PredictionSet set = PredictionFile.Read(path);
        Assert.Equal(PredictedPoseFrame.Mano, set.PoseFrame);
        Keypoints j = set.Sequences[0].JointsM!;
        Assert.Equal((1.0, 2.0, 2.0), (j[0, 7, 0], j[0, 7, 1], j[0, 7, 2]));
        float[] p = set.Sequences[0].Poses!;
        var back = Mat3.Exp(new Vec3(p[0], p[1], p[2]));
        Assert.True((back.Column(0) - Mat3.RotY(Math.PI / 2).Column(0)).Norm() < 1e-6 && (back.Column(1) - Mat3.RotY(Math.PI / 2).Column(1)).Norm() < 1e-6);
        Assert.Equal(0.1f, p[47]);

        PredictionFile.Write(path, set);
        Assert.Equal(PredictedPoseFrame.Mano, PredictionFile.Read(path).PoseFrame);

        File.WriteAllText(path, """{"format": "msmano-predictions", "method": "m", "pose_frame": "camera", "sequences": []}""");
        DataFormatException e = Assert.Throws<DataFormatException>(() => PredictionFile.Read(path));
        Assert.Equal(("pose_frame", true), (e.Field, e.Message.Contains("'camera'", StringComparison.Ordinal)));
    }

    [Fact]
    public void Deformer_predictions_undo_the_yz_flip()
    {
        using var dir = new TempDir();
        string path = dir.File("pred_0.json");
        File.WriteAllText(path, DeformerJson(frames: 2, vertices: DeformerPredictions.VertexCount));
        Keypoints joints = DeformerPredictions.ReadJoints(path);
        Assert.Equal(2, joints.Frames);
        // Written value for frame f, joint j, axis a is f + j/100 + a/1000, stored flipped in y and z.
        Assert.Equal(1 + 0.05 + 0.0, joints[1, 5, 0], 12);
        Assert.Equal(1 + 0.05 + 0.001, joints[1, 5, 1], 12);
        Assert.Equal(1 + 0.05 + 0.002, joints[1, 5, 2], 12);
        Assert.Equal(-(1 + 0.05 + 0.002), DeformerPredictions.ReadJoints(path, undoCoordinateFlip: false)[1, 5, 2], 12);

        File.WriteAllText(path, DeformerJson(frames: 2, vertices: 777));
        Assert.Contains("777 vertices", Assert.Throws<DataFormatException>(() => DeformerPredictions.ReadJoints(path)).Message);

        string full = DeformerJson(frames: 2, vertices: DeformerPredictions.VertexCount);
        File.WriteAllText(path, full[..(full.Length / 3)]);
        DataFormatException truncated = Assert.Throws<DataFormatException>(() => DeformerPredictions.ReadJoints(path));
        Assert.Contains(path, truncated.Message);
    }

    private static string DeformerJson(int frames, int vertices)
    {
        IEnumerable<string> xyz = Enumerable.Range(0, frames).Select(f =>
            "[" + string.Join(',', Enumerable.Range(0, 21).Select(j =>
                "[" + string.Join(',', Enumerable.Range(0, 3).Select(a =>
                {
                    double v = f + (j / 100.0) + (a / 1000.0);
                    return (a == 0 ? v : -v).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                })) + "]")) + "]");
        IEnumerable<string> verts = Enumerable.Range(0, frames).Select(_ => "[" + string.Join(',', Enumerable.Repeat("[0.1,0.2,0.3]", vertices)) + "]");
        return $"[[{string.Join(',', xyz)}],[{string.Join(',', verts)}]]";
    }
}
