using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;

namespace MsMano.ModelFormats.Agreement;

/// <summary>
/// Replays every golden MyoHand protocol on our simulator (all runs of a protocol as agents of one batch, in lockstep)
/// and compares hinge by hinge in MyoHand's coordinates.
/// </summary>
public sealed class MyoHandAgreement
{
    private readonly HandPlant _plant;
    private readonly MyoHandReference _reference;
    private readonly MyoHandDofMap _map;
    private readonly SimulationSettings _settings;

    public MyoHandAgreement(HandPlant plant, MyoHandReference reference, SimulationSettings? settings = null)
    {
        _plant = plant;
        _reference = reference;
        _map = new MyoHandDofMap(plant, reference.Joints);
        _settings = settings ?? new SimulationSettings();
        double ratio = reference.SampleInterval / _settings.ControlStep;
        if (Math.Abs(ratio - Math.Round(ratio)) > 1e-6 || ratio < 1)
        {
            throw new ArgumentException($"The reference samples every {reference.SampleInterval} s, not a whole number of control steps of {_settings.ControlStep} s.");
        }
    }

    public MyoHandDofMap Map => _map;

    public AgreementReport Run()
    {
        IReadOnlyList<RunComparison> singles = Simulate([_reference.Relaxed, .. _reference.SingleMuscle]);
        RunComparison relaxed = singles[0];
        var crossed = _reference.MomentArms.GroupBy(s => s.Muscle).ToDictionary(g => g.Key, g => g.Select(s => s.Joint).ToArray());
        var muscles = new List<MuscleAgreement>();
        foreach (IGrouping<string, RunComparison> pair in singles.Skip(1).GroupBy(r => r.Reference.Name))
        {
            RunComparison full = pair.Single(r => r.Reference.Excitation == 1f);
            RunComparison half = pair.Single(r => r.Reference.Excitation == 0.5f);
            string main = crossed[pair.Key].MaxBy(j => full.Reference.Angles[j].Zip(relaxed.Reference.Angles[j], (a, b) => Math.Abs(a - b)).Max())!;
            muscles.Add(new MuscleAgreement(pair.Key, main, full, half));
        }
        return new AgreementReport(relaxed, muscles, Simulate(_reference.Coactivation), MomentArms());
    }

    /// <summary>Runs each reference's excitation schedule from rest, one agent per run, sampling as the reference does.</summary>
    public IReadOnlyList<RunComparison> Simulate(IReadOnlyList<ReferenceRun> runs)
    {
        var batch = new HandBatch(_plant, runs.Count, _settings);
        int stepsPerSample = (int)Math.Round(_reference.SampleInterval / _settings.ControlStep);
        int samples = runs.Max(r => r.SampleCount);
        Dictionary<string, double[]>[] ours = runs.Select(_ => _reference.Joints.ToDictionary(j => j, _ => new double[samples])).ToArray();
        double[] time = new double[samples];
        float[][][] levels = runs.Select(r => r.Phases.Select(p => Levels(p)).ToArray()).ToArray();
        for (int s = 0; s < samples; s++)
        {
            if (s > 0)
            {
                for (int k = 0; k < stepsPerSample; k++)
                {
                    for (int a = 0; a < runs.Count; a++)
                    {
                        int phase = runs[a].Phases.Count(p => p.Start <= batch.Time + 1e-6) - 1;
                        float[] u = levels[a][Math.Max(phase, 0)];
                        for (int m = 0; m < _plant.MuscleCount; m++)
                        {
                            batch.Excitations(m)[a] = u[m];
                        }
                    }
                    batch.Step();
                }
            }
            time[s] = batch.Time;
            for (int a = 0; a < runs.Count; a++)
            {
                foreach (string j in _reference.Joints)
                {
                    ours[a][j][s] = _map.ToMyoDegrees(j, batch.Angle(a, _map.Dof(j)));
                }
            }
        }
        if (!batch.AllFinite())
        {
            throw new InvalidOperationException("The simulator left finite states while replaying the MyoHand references.");
        }
        return runs.Select((r, a) => new RunComparison(r, ours[a].ToDictionary(p => p.Key, p => p.Value[..r.SampleCount]), time[..r.SampleCount])).ToArray();
    }

    private float[] Levels(ExcitationPhase phase)
    {
        float[] u = new float[_plant.MuscleCount];
        Array.Fill(u, phase.Background);
        foreach ((string muscle, float level) in phase.Excitations)
        {
            u[_plant.MuscleIndex(muscle)] = level;
        }
        return u;
    }

    /// <summary>Our moment arms over each reference sweep (the swept hinge set through the map, every other dof at 0).</summary>
    public IReadOnlyList<MomentArmComparison> MomentArms()
    {
        var batch = new HandBatch(_plant, 1, _settings, LaneWidth.Scalar);
        float[] angles = new float[_plant.DofCount];
        float[] velocities = new float[_plant.DofCount];
        float[] arms = new float[_plant.DofCount];
        var result = new List<MomentArmComparison>();
        foreach (MomentArmSweep sweep in _reference.MomentArms)
        {
            int dof = _map.Dof(sweep.Joint), sign = _map.Sign(sweep.Joint), muscle = _plant.MuscleIndex(sweep.Muscle);
            double[] ours = new double[sweep.Angles.Length];
            for (int k = 0; k < ours.Length; k++)
            {
                Array.Clear(angles);
                angles[dof] = (float)(sign * sweep.Angles[k]);
                batch.SetState(0, angles, velocities);
                batch.MomentArms(0, muscle, arms);
                // Ours is -dL/dq_model; dL/dq_myo = sign * dL/dq_model.
                ours[k] = -sign * arms[dof];
            }
            result.Add(new MomentArmComparison(sweep, ours));
        }
        return result;
    }
}
