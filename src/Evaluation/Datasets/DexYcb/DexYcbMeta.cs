using MsMano.ModelFormats;
using YamlDotNet.RepresentationModel;

namespace MsMano.Evaluation.Datasets.DexYcb;

/// <summary>A sequence's meta.yml (sequence_loader.py): cameras, frame count, objects, hands, calibration names.</summary>
public sealed record DexYcbMeta(
    IReadOnlyList<string> Serials,
    int NumFrames,
    IReadOnlyList<int> YcbIds,
    int YcbGraspIndex,
    IReadOnlyList<string> ManoSides,
    IReadOnlyList<string> ManoCalib,
    string Extrinsics)
{
    /// <summary>The hand the dataset uses: mano_sides[0].</summary>
    public string ManoSide => ManoSides[0];

    public static DexYcbMeta Read(string path)
    {
        YamlMappingNode map = DexYcbYaml.LoadMapping(path);
        string[] serials = DexYcbYaml.Sequence(DexYcbYaml.Require(map, "serials", path), path, "serials")
            .Select((n, i) => DexYcbYaml.Scalar(n, path, $"serials[{i}]")).ToArray();
        int numFrames = DexYcbYaml.Int(DexYcbYaml.Require(map, "num_frames", path), path, "num_frames");
        if (numFrames <= 0)
        {
            throw new DataFormatException(path, "num_frames", $"{numFrames} is not a positive frame count");
        }

        int[] ycbIds = DexYcbYaml.Sequence(DexYcbYaml.Require(map, "ycb_ids", path), path, "ycb_ids")
            .Select((n, i) => DexYcbYaml.Int(n, path, $"ycb_ids[{i}]")).ToArray();
        int grasp = DexYcbYaml.Int(DexYcbYaml.Require(map, "ycb_grasp_ind", path), path, "ycb_grasp_ind");
        if (grasp < 0 || grasp >= ycbIds.Length)
        {
            throw new DataFormatException(path, "ycb_grasp_ind", $"{grasp} is outside ycb_ids (length {ycbIds.Length})");
        }

        string[] sides = DexYcbYaml.Sequence(DexYcbYaml.Require(map, "mano_sides", path), path, "mano_sides")
            .Select((n, i) => DexYcbYaml.Scalar(n, path, $"mano_sides[{i}]")).ToArray();
        if (sides.Length == 0 || sides.Any(s => s is not ("right" or "left")))
        {
            throw new DataFormatException(path, "mano_sides", $"[{string.Join(", ", sides)}] must be a non-empty list of 'right'/'left'");
        }

        string[] calib = DexYcbYaml.Sequence(DexYcbYaml.Require(map, "mano_calib", path), path, "mano_calib")
            .Select((n, i) => DexYcbYaml.Scalar(n, path, $"mano_calib[{i}]")).ToArray();
        if (calib.Length == 0)
        {
            throw new DataFormatException(path, "mano_calib", "is empty");
        }

        string extrinsics = DexYcbYaml.Scalar(DexYcbYaml.Require(map, "extrinsics", path), path, "extrinsics");
        return new DexYcbMeta(serials, numFrames, ycbIds, grasp, sides, calib, extrinsics);
    }

    /// <summary>Betas (10 floats) from calibration/mano_&lt;mano_calib&gt;/mano.yml.</summary>
    public static float[] ReadBetas(string path)
    {
        YamlMappingNode map = DexYcbYaml.LoadMapping(path);
        float[] betas = DexYcbYaml.Sequence(DexYcbYaml.Require(map, "betas", path), path, "betas")
            .Select((n, i) => (float)DexYcbYaml.Double(n, path, $"betas[{i}]")).ToArray();
        return betas.Length == 10 ? betas : throw new DataFormatException(path, "betas", $"has {betas.Length} values, expected 10");
    }
}
