using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;

namespace MsMano.Biomechanics.Experiments;

/// <summary>Joint-angle trajectories of one agent while a single muscle is excited (the paper's Fig. 6 protocol).</summary>
public sealed record ExcitationTrace(string Muscle, float Excitation, double[] Time, float[][] Angles, IReadOnlyList<string> DofNames)
{
    /// <summary>Angle of one dof at the end of the trace.</summary>
    public float Final(int dof) => Angles[dof][^1];

    /// <summary>Largest absolute change of one dof from its start.</summary>
    public float MaxExcursion(int dof) => Angles[dof].Max(a => MathF.Abs(a - Angles[dof][0]));
}

/// <summary>One muscle excited alone from a start pose: the experiment behind the single-muscle agreement checks.</summary>
public static class SingleMuscleExcitation
{
    /// <summary>
    /// Holds every other muscle relaxed, steps <paramref name="muscle"/> at a constant excitation from the given start
    /// pose (rest pose when null) and records every dof after each control step.
    /// </summary>
    public static ExcitationTrace Run(HandPlant plant, string muscle, float excitation, double seconds, float[]? startAngles = null, SimulationSettings? settings = null)
    {
        int index = plant.MuscleIndex(muscle);
        var batch = new HandBatch(plant, 1, settings);
        if (startAngles is not null)
        {
            batch.SetState(0, startAngles, new float[plant.DofCount]);
        }
        batch.Excitations(index)[0] = excitation;
        int steps = (int)Math.Ceiling(seconds / batch.Settings.ControlStep);
        double[] time = new double[steps + 1];
        float[][] angles = new float[plant.DofCount][];
        for (int d = 0; d < plant.DofCount; d++)
        {
            angles[d] = new float[steps + 1];
            angles[d][0] = batch.Angle(0, d);
        }
        for (int s = 1; s <= steps; s++)
        {
            batch.Step();
            time[s] = batch.Time;
            for (int d = 0; d < plant.DofCount; d++)
            {
                angles[d][s] = batch.Angle(0, d);
            }
        }
        return new ExcitationTrace(plant.MuscleNames[index], excitation, time, angles, plant.DofNames);
    }
}
