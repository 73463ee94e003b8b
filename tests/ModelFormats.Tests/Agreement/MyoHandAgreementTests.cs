using System.Globalization;
using MsMano.ModelFormats.Agreement;

namespace MsMano.ModelFormats.Tests.Agreement;

/// <summary>
/// The shipped hand against MyoHand in MuJoCo 3.14 (golden JSON from tools/myohand-reference; wrist held at 0).
/// Thresholds are the issue's; every exception names its measured value and why, and an exception that is no longer
/// needed fails, so the list stays true. Exceptions may not get worse than measured (plus a small margin).
/// </summary>
public sealed class MyoHandAgreementTests(MyoHandAgreementFixture fixture) : IClassFixture<MyoHandAgreementFixture>
{
    private const string ThumbSettling =
        "the thumb CMC settles under gravity and passive muscle force from rest, and its drift differs from MuJoCo's";

    /// <summary>Single-muscle exceptions: (worst joint RMS, main-joint end error), both in deg, as measured.</summary>
    private static readonly Dictionary<string, (double WorstRms, double MainEnd, string Reason)> SingleExceptions = new()
    {
        ["FDS2"] = (5.1, 0.4, ThumbSettling + " (cmc_flexion ends -16.7 deg at half excitation, MuJoCo -9.4); the flexed index holds the thumb through contact"),
        ["FDS3"] = (5.6, 0.7, ThumbSettling + " (cmc_abduction ends -7.5 deg, MuJoCo -16.6) while the flexing middle finger passes it"),
        ["FDP4"] = (5.1, 0.0, "the flexing ring finger carries the little finger's MCP along through skin contact further than MuJoCo does " +
            "(mcp5_flexion ends 9.3 deg, MuJoCo 4.0); the ring finger itself agrees"),
        ["EPL"] = (8.6, 0.3, ThumbSettling + " while EPL swings the thumb (cmc_abduction ends 6.5 deg, MuJoCo -2.4)"),
        ["LU_RB2"] = (5.5, 7.4, "at half excitation the index MCP ends 7.3 deg short: the flexing index meets the thumb, which settles differently " +
            "(see FDS2), and the contact holds the finger back"),
    };

    [Fact]
    public void Every_finger_muscle_alone_follows_MuJoCo_within_5_degrees_or_is_a_named_exception()
    {
        AgreementReport report = fixture.Report;
        Assert.Equal(31, report.Muscles.Count);
        var failures = new List<string>();
        foreach (MuscleAgreement m in report.Muscles)
        {
            (string joint, double rms) = m.WorstRms;
            bool passes = rms <= AgreementMarkdown.SingleRmsLimit && m.MainEndError <= AgreementMarkdown.MainEndLimit;
            string measured = string.Create(CultureInfo.InvariantCulture, $"[\"{m.Muscle}\"] = ({rms:F1}, {m.MainEndError:F1}, ...) worst {joint}");
            if (SingleExceptions.TryGetValue(m.Muscle, out (double WorstRms, double MainEnd, string Reason) exception))
            {
                if (passes)
                {
                    failures.Add($"{m.Muscle} now passes ({measured}); remove its exception");
                }
                else if (rms > exception.WorstRms * 1.1 + 0.5 || m.MainEndError > exception.MainEnd * 1.1 + 0.5)
                {
                    failures.Add($"{m.Muscle} got worse than its exception: {measured}");
                }
            }
            else if (!passes)
            {
                failures.Add($"{m.Muscle} fails: {measured}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// Moment-arm exceptions: worst |ours − MuJoCo| over the sweep / max(20 %, 1 mm), as measured. None since the model keeps
    /// MyoHand's non-perpendicular hinges (the thumb CMC's EPL and APL sweeps were 1.4 and 1.2 mm off while its flexion
    /// hinge was orthogonalised).
    /// </summary>
    private static readonly Dictionary<(string Muscle, string Joint), double> MomentArmExceptions = new();

    [Fact]
    public void Every_moment_arm_is_within_20_percent_or_1_mm_over_its_range_or_is_a_named_exception()
    {
        AgreementReport report = fixture.Report;
        Assert.Equal(99, report.MomentArms.Count);
        var failures = new List<string>();
        foreach (MomentArmComparison a in report.MomentArms)
        {
            (string Muscle, string Joint) key = (a.Reference.Muscle, a.Reference.Joint);
            string measured = string.Create(CultureInfo.InvariantCulture, $"[(\"{key.Muscle}\", \"{key.Joint}\")] = {a.WorstToleranceRatio:F2}");
            if (MomentArmExceptions.TryGetValue(key, out double ratio))
            {
                if (a.Passes)
                {
                    failures.Add($"{measured} now passes; remove its exception");
                }
                else if (a.WorstToleranceRatio > ratio * 1.1 + 0.05)
                {
                    failures.Add($"{measured} got worse than its exception ({ratio:F2})");
                }
            }
            else if (!a.Passes)
            {
                failures.Add($"{measured} fails");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// Co-activation: the mean is within the limit (measured 2.25° against 4°), the worst joint is not (15.2° against
    /// 10°: random-1 pm3_flexion; intrinsic-plus, grasp, random-3 and random-6 also have a joint over 10°). It was 2.53° / 24.6°
    /// with the thumb CMC's flexion hinge orthogonalised and MuJoCo's pair margin taken as one geom's; 6.30° / 67.5° before the
    /// skin contacts and 7.35° / 74.5° before the inside wraps. This guards against regressions only.
    /// </summary>
    [Fact]
    public void Coactivation_cases_do_not_get_worse_than_measured()
    {
        AgreementReport report = fixture.Report;
        Assert.Equal(12, report.Coactivation.Count);
        Assert.True(report.CoactivationMeanRms <= 2.25 * 1.05, $"co-activation mean joint RMS {report.CoactivationMeanRms:F2} deg (measured 2.25)");
        Assert.True(report.CoactivationMaxRms <= 15.2 * 1.05, $"co-activation worst joint RMS {report.CoactivationMaxRms:F1} deg (measured 15.2)");
    }

    [Fact]
    public void Flexors_reach_MuJoCos_soft_joint_limit()
    {
        // MuJoCo's default soft limit lets a full flexor pull pass 90 deg by about 6 deg; a stiff limit stops at 90.
        MuscleAgreement fds3 = fixture.Report.Muscles.Single(m => m.Muscle == "FDS3");
        double mujoco = fds3.Full.Reference.Angles["mcp3_flexion"][^1], ours = fds3.Full.Ours["mcp3_flexion"][^1];
        Assert.InRange(mujoco, 94, 101);
        Assert.True(Math.Abs(ours - mujoco) < 1.5, $"FDS3 ends mcp3_flexion at {ours:F1} deg; MuJoCo {mujoco:F1}");
    }
}
