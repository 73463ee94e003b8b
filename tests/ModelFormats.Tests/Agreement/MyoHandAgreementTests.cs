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
    /// <summary>
    /// Single-muscle exceptions: (worst joint RMS, main-joint end error), both in deg, as measured. None since the model
    /// keeps MyoHand's hinges and only those (FDS2, FDS3, FDP4, EPL and LU_RB2 were 5.1-8.6 deg off while the joints had
    /// twist and play MyoHand lacks, and the nails stood 3.5 mm proud).
    /// </summary>
    private static readonly Dictionary<string, (double WorstRms, double MainEnd, string Reason)> SingleExceptions = new();

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
    /// Co-activation: the mean is within the limit (measured 0.88° against 4°); the worst joint is not (17.7° against
    /// 10°), in one case: grasp-cocontraction's mcp5_flexion, a race between the flexing little finger and the thumb crossing
    /// the palm that MuJoCo's own step decides (halving it moves that joint's end from 75.9° to 90.8°, 12.1° RMS;
    /// tools/myohand-reference/compare.mjs). Every other case's worst joint is under 10° (random-3 md4_flexion 8.3°). Before:
    /// 0.99° / 17.3° with the joint limits as spring-dampers scaled by the hand's own rest inertia rather than MuJoCo's
    /// constraint rows with MyoHand's dof_invweight0; 2.53° / 24.6° with the thumb CMC's flexion hinge orthogonalised, one geom's margin, twist and play MyoHand lacks and
    /// nails as wide capsules; 6.30° / 67.5° before the skin contacts; 7.35° / 74.5° before the inside wraps. This guards
    /// against regressions; the test below holds every case but that one to the 10°.
    /// </summary>
    [Fact]
    public void Coactivation_cases_do_not_get_worse_than_measured()
    {
        AgreementReport report = fixture.Report;
        Assert.Equal(12, report.Coactivation.Count);
        Assert.True(report.CoactivationMeanRms <= 4, $"co-activation mean joint RMS {report.CoactivationMeanRms:F2} deg (limit 4, measured 0.88)");
        Assert.True(report.CoactivationMeanRms <= 0.88 * 1.05, $"co-activation mean joint RMS {report.CoactivationMeanRms:F2} deg (measured 0.88)");
        Assert.True(report.CoactivationMaxRms <= 17.7 * 1.05, $"co-activation worst joint RMS {report.CoactivationMaxRms:F1} deg (measured 17.7)");
    }

    /// <summary>Grasp's little-finger MCP is the named exception (see above): MuJoCo's own step decides it.</summary>
    private static readonly Dictionary<(string Case, string Joint), double> CoactivationExceptions = new()
    {
        [("grasp-cocontraction", "mcp5_flexion")] = 17.7,
    };

    [Fact]
    public void Every_coactivation_joint_is_within_10_degrees_or_is_a_named_exception()
    {
        var failures = new List<string>();
        foreach (RunComparison c in fixture.Report.Coactivation)
        {
            foreach ((string joint, double rms) in c.Rms)
            {
                string measured = string.Create(CultureInfo.InvariantCulture, $"[(\"{c.Reference.Name}\", \"{joint}\")] = {rms:F1}");
                if (CoactivationExceptions.TryGetValue((c.Reference.Name, joint), out double limit))
                {
                    if (rms <= 10)
                    {
                        failures.Add($"{measured} now passes; remove its exception");
                    }
                    else if (rms > limit * 1.1 + 0.5)
                    {
                        failures.Add($"{measured} got worse than its exception ({limit:F1})");
                    }
                }
                else if (rms > 10)
                {
                    failures.Add($"{measured} exceeds 10 deg");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
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
