using MsMano.Evaluation.Datasets.MotionSources;

namespace MsMano.Evaluation.Benchmark;

/// <summary>
/// How a benchmark dataset spec divides into a training and a test part: DexYCB by its s0 split, OakInk by the part of
/// its split; pose files (json:/csv:) have no split of their own (<see cref="TrainSpec"/> null), the prediction files
/// choose which sequences train RefineNet and which are scored.
/// </summary>
internal sealed record DatasetSplit(string Name, string Kind, string Path, string? TrainSpec, string? TestSpec)
{
    public static DatasetSplit Of(string text, bool filesAllowed)
    {
        var parsed = MotionSpec.Parse(text);
        if (filesAllowed && parsed.Kind is "json" or "csv")
        {
            return new DatasetSplit(text, parsed.Kind, parsed.Path!, null, null);
        }

        string splitKey = parsed.Kind switch
        {
            "dexycb" => "split",
            "oakink" => "part",
            _ => throw new MotionSpecException(text, $"kind '{parsed.Kind}'", filesAllowed
                ? "is not a benchmark dataset; use synthetic, dexycb:<root>, oakink:<root>, json:<file or folder> or csv:<file or folder>"
                : "is not a benchmark dataset; use synthetic, dexycb:<root> or oakink:<root> (json:/csv: pose files are ground truth only with --train-predictions and --test-predictions)"),
        };
        if (parsed.Settings.ContainsKey(splitKey))
        {
            throw new MotionSpecException(text, $"{splitKey}={parsed.Settings[splitKey]}", $"the benchmark chooses {splitKey}=train for RefineNet and {splitKey}=test for scoring; leave it out");
        }

        string name = parsed.Kind == "dexycb" ? "DexYCB s0" : "OakInk";
        return new DatasetSplit(name, parsed.Kind, parsed.Path!, WithSetting(text, splitKey, "train"), WithSetting(text, splitKey, "test"));
    }

    private static string WithSetting(string spec, string key, string value) =>
        spec + (spec.Contains('?', StringComparison.Ordinal) ? "," : "?") + key + "=" + value;
}
