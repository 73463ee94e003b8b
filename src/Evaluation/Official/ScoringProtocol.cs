using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Datasets.MotionSources;

namespace MsMano.Evaluation.Official;

/// <summary>How the test split is scored.</summary>
public enum ScoringProtocol
{
    /// <summary>Official when the dataset is DexYCB and a MANO file is given, else Model.</summary>
    Auto,

    /// <summary>21 keypoints of the shipped hand model for ground truth and prediction alike.</summary>
    Model,

    /// <summary>DexYCB's own protocol: MANO-layer joints against joint_3d (<see cref="DexYcbOfficialData"/>).</summary>
    Official,
}

/// <summary>Chooses the scoring protocol a job runs under.</summary>
public static class ScoringProtocols
{
    /// <summary>The protocol a job runs under; asking for Official where it cannot apply is an error naming why.</summary>
    public static ScoringProtocol Resolve(EvaluationJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool dexYcb = !options.Dataset.Trim().Equals("synthetic", StringComparison.OrdinalIgnoreCase)
            && MotionSpec.Parse(options.Dataset).Kind == "dexycb";
        bool mano = !string.IsNullOrWhiteSpace(options.ManoModelPath);
        return options.Protocol switch
        {
            ScoringProtocol.Auto => dexYcb && mano ? ScoringProtocol.Official : ScoringProtocol.Model,
            ScoringProtocol.Official when !dexYcb => throw new ArgumentException($"--protocol official scores DexYCB's joint_3d; the dataset '{options.Dataset}' is not dexycb:<root>."),
            ScoringProtocol.Official when !mano => throw new ArgumentException("--protocol official needs --mano <MANO_RIGHT.pkl> (the MANO layer turns refined poses into joints)."),
            _ => options.Protocol,
        };
    }

    /// <summary>Camera setting of a dexycb spec for the official protocol: all cameras unless camera=0..7 is given.</summary>
    public static int? Camera(MotionSpec spec) =>
        spec.Settings.ContainsKey("camera") ? spec.Int("camera", 0, 0, DexYcbLayout.Serials.Count - 1) : null;
}
