using System.Globalization;
using System.Text.RegularExpressions;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;

namespace MsMano.Evaluation.Datasets.OakInk;

/// <summary>
/// The MANO shape of OakInk's ground truth: <c>anno/general_info/&lt;info_str&gt;.pkl</c> is a plain pickle of a dict
/// of torch tensors (oikit <c>oi_image.py:get_mano_shape</c>: <c>general_info["hand_anno"]["hand_shape"]</c>, 10 β),
/// read without torch by <see cref="TorchPickle"/>. The shape is the subject's, so one file per video is read.
/// </summary>
public static partial class OakInkShapes
{
    public static string GeneralInfoPath(string annoDir, string infoString) => Path.Combine(annoDir, "general_info", infoString + ".pkl");

    public static float[] ReadHandShape(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "file", "does not exist");
        }
        object? root = TorchPickle.Read(path);
        if (root is not Dictionary<object, object?> info || !info.TryGetValue("hand_anno", out object? anno) || anno is not Dictionary<object, object?> hand)
        {
            throw new DataFormatException(path, "hand_anno", "missing: expected a dict with 'hand_anno' (OakInk general_info)");
        }
        if (!hand.TryGetValue("hand_shape", out object? shape) || shape is not NdArray array)
        {
            throw new DataFormatException(path, "hand_anno.hand_shape", "missing or not a tensor");
        }
        if (array.Length != 10)
        {
            throw new DataFormatException(path, "hand_anno.hand_shape", $"has {array.Length} values, expected 10");
        }
        float[] betas = array.ToFloatArray();
        foreach (float b in betas)
        {
            if (!float.IsFinite(b) || Math.Abs(b) > 10)
            {
                throw new DataFormatException(path, "hand_anno.hand_shape", string.Create(CultureInfo.InvariantCulture, $"{b} is not a plausible MANO beta (finite, |beta| <= 10)"));
            }
        }
        return betas;
    }

    /// <summary>
    /// The general_info file of a motion named <c>oakink/&lt;seq&gt;/&lt;ts&gt;/view&lt;v&gt;/sbj&lt;s&gt;[@&lt;frame&gt;]</c>
    /// (its first frame); null for another name.
    /// </summary>
    public static string? PathFor(string annoDir, string motionName)
    {
        Match m = NamePattern().Match(motionName);
        if (!m.Success)
        {
            return null;
        }
        string frame = m.Groups["frame"].Success ? m.Groups["frame"].Value : "0";
        string info = $"{m.Groups["seq"].Value}/{m.Groups["ts"].Value}__{m.Groups["sbj"].Value}__{frame}__{m.Groups["view"].Value}".Replace("/", "__", StringComparison.Ordinal);
        return GeneralInfoPath(annoDir, info);
    }

    [GeneratedRegex(@"^oakink/(?<seq>[^/]+)/(?<ts>[^/]+)/view(?<view>\d+)/sbj(?<sbj>\d+)(@(?<frame>\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
