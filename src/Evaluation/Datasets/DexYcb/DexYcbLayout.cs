namespace MsMano.Evaluation.Datasets.DexYcb;

/// <summary>Fixed names of the DexYCB release (dex-ycb-toolkit dex_ycb.py).</summary>
public static class DexYcbLayout
{
    /// <summary>The 10 subject folders, in the toolkit's _SUBJECTS order (subject index = position).</summary>
    public static readonly IReadOnlyList<string> Subjects =
    [
        "20200709-subject-01", "20200813-subject-02", "20200820-subject-03", "20200903-subject-04",
        "20200908-subject-05", "20200918-subject-06", "20200928-subject-07", "20201002-subject-08",
        "20201015-subject-09", "20201022-subject-10",
    ];

    /// <summary>Camera serials in the toolkit's _SERIALS order, which defines sample indexing (not meta.yml's order).</summary>
    public static readonly IReadOnlyList<string> Serials =
    [
        "836212060125", "839512060362", "840412060917", "841412060263",
        "932122060857", "932122060861", "932122061900", "932122062010",
    ];

    public static string LabelPath(string root, string subject, string sequence, string serial, int frame) =>
        Path.Combine(root, subject, sequence, serial, $"labels_{frame:D6}.npz");

    public static string MetaPath(string root, string subject, string sequence) =>
        Path.Combine(root, subject, sequence, "meta.yml");

    public static string ManoCalibrationPath(string root, string manoCalib) =>
        Path.Combine(root, "calibration", $"mano_{manoCalib}", "mano.yml");
}
