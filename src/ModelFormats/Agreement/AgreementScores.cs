namespace MsMano.ModelFormats.Agreement;

/// <summary>Our trajectory of one reference run beside MuJoCo's, both in MyoHand coordinates (deg).</summary>
public sealed record RunComparison(ReferenceRun Reference, IReadOnlyDictionary<string, double[]> Ours, double[] Time)
{
    /// <summary>RMS over time of ours minus MuJoCo, per hinge (deg).</summary>
    public IReadOnlyDictionary<string, double> Rms { get; } = Ours.ToDictionary(p => p.Key, p =>
        Math.Sqrt(p.Value.Zip(Reference.Angles[p.Key], (a, b) => (a - b) * (a - b)).Average()));

    /// <summary>Ours minus MuJoCo at the last sample, per hinge (deg).</summary>
    public double EndError(string joint) => Ours[joint][^1] - Reference.Angles[joint][^1];

    public (string Joint, double Rms) Worst => Rms.MaxBy(p => p.Value) is var w ? (w.Key, w.Value) : default;
}

/// <summary>One finger muscle alone: its full and half excitation runs and its main joint.</summary>
/// <param name="MainJoint">The crossed hinge MuJoCo moves furthest from the relaxed hand at full excitation.</param>
public sealed record MuscleAgreement(string Muscle, string MainJoint, RunComparison Full, RunComparison Half)
{
    /// <summary>The worst hinge RMS over both excitation levels (deg).</summary>
    public (string Joint, double Rms) WorstRms => Full.Worst.Rms >= Half.Worst.Rms ? Full.Worst : Half.Worst;

    /// <summary>The main joint's larger end-angle error (absolute, deg) over both levels.</summary>
    public double MainEndError => Math.Max(Math.Abs(Full.EndError(MainJoint)), Math.Abs(Half.EndError(MainJoint)));
}

/// <summary>One (muscle, hinge) moment-arm sweep: ours and MuJoCo's, both as dL/dq in MyoHand coordinates (m/rad).</summary>
public sealed record MomentArmComparison(MomentArmSweep Reference, double[] Ours)
{
    public const double RelativeTolerance = 0.20;
    public const double AbsoluteTolerance = 0.001;

    /// <summary>Worst |ours − MuJoCo| over the sweep divided by the looser of 20 % and 1 mm; at most 1 passes.</summary>
    public double WorstToleranceRatio => Ours.Zip(Reference.MomentArms, (o, r) =>
        Math.Abs(o - r) / Math.Max(RelativeTolerance * Math.Abs(r), AbsoluteTolerance)).Max();

    /// <summary>Worst absolute difference over the sweep (m).</summary>
    public double WorstDifference => Ours.Zip(Reference.MomentArms, (o, r) => Math.Abs(o - r)).Max();

    public bool Passes => WorstToleranceRatio <= 1;
}

/// <summary>Everything <see cref="MyoHandAgreement"/> measured.</summary>
public sealed record AgreementReport(
    RunComparison Relaxed,
    IReadOnlyList<MuscleAgreement> Muscles,
    IReadOnlyList<RunComparison> Coactivation,
    IReadOnlyList<MomentArmComparison> MomentArms)
{
    /// <summary>Mean over co-activation cases and hinges of the hinge RMS (deg).</summary>
    public double CoactivationMeanRms => Coactivation.SelectMany(c => c.Rms.Values).Average();

    /// <summary>The worst hinge RMS over every co-activation case (deg).</summary>
    public double CoactivationMaxRms => Coactivation.SelectMany(c => c.Rms.Values).Max();
}
