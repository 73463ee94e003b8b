using System.Globalization;
using System.Text;

namespace MsMano.ModelFormats.Agreement;

/// <summary>The agreement report as Markdown tables (the README section is pasted from it).</summary>
public static class AgreementMarkdown
{
    public const double SingleRmsLimit = 5, MainEndLimit = 5, CoactivationMeanLimit = 4, CoactivationMaxLimit = 10;

    public static string Write(AgreementReport report)
    {
        CultureInfo ci = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        int singlePass = report.Muscles.Count(m => m.WorstRms.Rms <= SingleRmsLimit && m.MainEndError <= MainEndLimit);
        int armPass = report.MomentArms.Count(a => a.Passes);
        s.AppendLine(ci, $"Against MyoHand in MuJoCo 3.14 (wrist held at 0), from rest; angles in MyoHand's coordinates (deg).");
        s.AppendLine();
        s.AppendLine(ci, $"- Single muscles (2 s, full and half excitation): {singlePass} of {report.Muscles.Count} within {SingleRmsLimit:0}° worst-joint RMS and {MainEndLimit:0}° main-joint end error. Relaxed hand alone: worst joint {report.Relaxed.Worst.Joint} {report.Relaxed.Worst.Rms:F1}° RMS.");
        s.AppendLine(ci, $"- Moment arms: {armPass} of {report.MomentArms.Count} (muscle, joint) sweeps within 20 % or 1 mm over the joint's range.");
        s.AppendLine(ci, $"- Co-activation ({report.Coactivation.Count} cases, 3 s): mean joint RMS {report.CoactivationMeanRms:F2}° (limit {CoactivationMeanLimit:0}), worst joint {report.CoactivationMaxRms:F1}° (limit {CoactivationMaxLimit:0}).");
        s.AppendLine();
        s.AppendLine("| muscle | main joint | main end error u=1 / u=0.5 (deg) | worst joint RMS (deg) | worst joint | moment arms within tolerance | worst arm difference (mm) |");
        s.AppendLine("|---|---|---:|---:|---|---:|---:|");
        foreach (MuscleAgreement m in report.Muscles)
        {
            MomentArmComparison[] arms = report.MomentArms.Where(a => a.Reference.Muscle == m.Muscle).ToArray();
            (string joint, double rms) = m.WorstRms;
            s.AppendLine(ci, $"| {m.Muscle} | {m.MainJoint} | {m.Full.EndError(m.MainJoint):F1} / {m.Half.EndError(m.MainJoint):F1} | {rms:F1} | {joint} | {arms.Count(a => a.Passes)}/{arms.Length} | {arms.Max(a => a.WorstDifference) * 1000:F1} |");
        }
        s.AppendLine();
        s.AppendLine("| co-activation case | mean joint RMS (deg) | worst joint RMS (deg) | worst joint |");
        s.AppendLine("|---|---:|---:|---|");
        foreach (RunComparison c in report.Coactivation)
        {
            s.AppendLine(ci, $"| {c.Reference.Name} | {c.Rms.Values.Average():F2} | {c.Worst.Rms:F1} | {c.Worst.Joint} |");
        }
        return s.ToString();
    }
}
