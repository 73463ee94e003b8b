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
        ["FDS2"] = (5.4, 0.4, ThumbSettling + " (cmc_flexion); the flexed index now holds the thumb through contact, as in MuJoCo (19.3 deg before contacts)"),
        ["EPL"] = (5.9, 0.3, ThumbSettling + " while EPL swings the thumb (cmc_abduction)"),
        ["LU_RB2"] = (5.7, 7.0, "at half excitation the index MCP ends 7.0 deg short: the flexing index meets the thumb, which settles differently " +
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

    /// <summary>Moment-arm exceptions: worst |ours − MuJoCo| over the sweep / max(20 %, 1 mm), as measured.</summary>
    private static readonly Dictionary<(string Muscle, string Joint), double> MomentArmExceptions = new()
    {
        // The thumb CMC abduction sweeps of EPL and APL are 1.4 and 1.2 mm off (tolerance 1 mm): MyoHand's two CMC hinges
        // are 99 deg apart and the converter orthogonalises cmc_abduction against cmc_flexion (9 deg off), so the swept
        // axis is not MyoHand's. Keeping cmc_abduction exact instead breaks 5 other sweeps (EPB/OP about cmc_flexion).
        [("EPL", "cmc_abduction")] = 1.25, [("APL", "cmc_abduction")] = 1.17,
    };

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
    /// Co-activation: the mean is within the limit (measured 2.53° against 4°), the worst joint is not (24.6° against
    /// 10°: intrinsic-plus pm3_flexion, random-7 pm4_flexion). Before the skin contacts it was 6.30° / 67.5° (with the
    /// inside wraps) and 7.35° / 74.5° before those. This guards against regressions only.
    /// </summary>
    [Fact]
    public void Coactivation_cases_do_not_get_worse_than_measured()
    {
        AgreementReport report = fixture.Report;
        Assert.Equal(12, report.Coactivation.Count);
        Assert.True(report.CoactivationMeanRms <= 2.53 * 1.05, $"co-activation mean joint RMS {report.CoactivationMeanRms:F2} deg (measured 2.53)");
        Assert.True(report.CoactivationMaxRms <= 24.6 * 1.05, $"co-activation worst joint RMS {report.CoactivationMaxRms:F1} deg (measured 24.6)");
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
