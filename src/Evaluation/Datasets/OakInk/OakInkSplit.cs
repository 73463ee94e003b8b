using System.Globalization;
using System.Text.Json;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.OakInk;

/// <summary>OakInk-Image split modes (oikit docs/datasets.md). The paper's "SPO" is SP0 (split by views).</summary>
public enum OakInkSplitName
{
    SP0,
    SP1,
    SP2,
    SP0HandObject,
}

/// <summary>One frame of one view: an item of a split list, [ "&lt;seq_id&gt;/&lt;timestamp&gt;", sbj_flag, frame, view_id ].</summary>
public sealed record OakInkEntry(string SequenceAndTimestamp, int SubjectFlag, int Frame, int ViewId)
{
    public static readonly IReadOnlyList<string> ViewNames = ["north_east_color", "south_east_color", "north_west_color", "south_west_color"];

    public string SequenceId => SequenceAndTimestamp.Split('/')[0];

    /// <summary>oi_image.py: "__".join(map(str, item)).replace("/", "__").</summary>
    public string InfoString =>
        string.Join("__", SequenceAndTimestamp, SubjectFlag.ToString(CultureInfo.InvariantCulture), Frame.ToString(CultureInfo.InvariantCulture), ViewId.ToString(CultureInfo.InvariantCulture))
            .Replace("/", "__", StringComparison.Ordinal);

    /// <summary>OakInkImageSequence's temporal sort key: sbj_flag * 1000 + frame.</summary>
    public int TemporalKey => (SubjectFlag * 1000) + Frame;

    /// <summary>Image path relative to stream_release_v2 (frame not zero-padded).</summary>
    public string ImagePath => $"{SequenceAndTimestamp}/{ViewNames[ViewId]}_{Frame}.png";
}

/// <summary>OakInk's split files: where they are and how their entries read.</summary>
public static class OakInkSplit
{
    public static string DirectoryName(OakInkSplitName split) => split switch
    {
        OakInkSplitName.SP0 => "split0",
        OakInkSplitName.SP1 => "split1",
        OakInkSplitName.SP2 => "split2",
        _ => "split0_ho",
    };

    /// <summary>anno/split/&lt;dir&gt;/seq_test.json (test) or seq_train.json (train + val).</summary>
    public static string FilePath(string annoDir, OakInkSplitName split, bool test) =>
        Path.Combine(annoDir, "split", DirectoryName(split), test ? "seq_test.json" : "seq_train.json");

    public static IReadOnlyList<OakInkEntry> Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"line {e.LineNumber + 1}", $"invalid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new DataFormatException(path, "root", $"expected a JSON list, found {document.RootElement.ValueKind}");
            }

            var entries = new List<OakInkEntry>();
            int i = 0;
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                entries.Add(ParseEntry(item, path, i++));
            }

            return entries;
        }
    }

    private static OakInkEntry ParseEntry(JsonElement item, string path, int i)
    {
        if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 4)
        {
            throw new DataFormatException(path, $"item {i}", $"expected [\"seq/timestamp\", sbj_flag, frame, view_id], found {item.GetRawText()}");
        }

        string? seq = item[0].ValueKind == JsonValueKind.String ? item[0].GetString()! : null;
        if (seq is null || !seq.Contains('/', StringComparison.Ordinal))
        {
            throw new DataFormatException(path, $"item {i}[0]", $"{item[0].GetRawText()} is not \"<seq_id>/<timestamp>\"");
        }

        int sbj = Int(item[1], path, $"item {i}[1] (sbj_flag)");
        int frame = Int(item[2], path, $"item {i}[2] (frame)");
        int view = Int(item[3], path, $"item {i}[3] (view_id)");
        if (sbj is not (0 or 1) || frame < 0 || frame >= 1000 || view is < 0 or > 3)
        {
            throw new DataFormatException(path, $"item {i}", $"out of range: sbj_flag {sbj} (0/1), frame {frame} (0-999), view_id {view} (0-3)");
        }

        return new OakInkEntry(seq, sbj, frame, view);
    }

    private static int Int(JsonElement element, string path, string field) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value)
            ? value
            : throw new DataFormatException(path, field, $"{element.GetRawText()} is not an integer");
}
