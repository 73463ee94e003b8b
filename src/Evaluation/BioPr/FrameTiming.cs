using MsMano.Biomechanics.Batch;

namespace MsMano.Evaluation.BioPr;

/// <summary>
/// How one frame interval of a sequence maps onto simulator steps. IDNet was trained to reach a target one control step
/// (20 ms) ahead, but datasets run at 30 fps (33 ms). So a frame interval is split into
/// k = max(1, round(interval / 20 ms)) control steps of interval / k each (30 fps: 2 x 16.7 ms; 50 fps: 1 x 20 ms),
/// the intermediate targets being the linear interpolation of the predicted frames (resampling), and each control step
/// is split into round(step / 2 ms) physics substeps of equal length. One frame is then exactly k control steps.
/// </summary>
public sealed record FrameTiming(double Fps, int ControlStepsPerFrame, SimulationSettings Simulation)
{
    public double FrameInterval => 1.0 / Fps;

    public double ControlStep => FrameInterval / ControlStepsPerFrame;

    public static FrameTiming For(double fps, BioPrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "Frame rate must be a positive number.");
        }

        double interval = 1.0 / fps;
        int steps = Math.Max(1, (int)Math.Round(interval / options.TrainedControlStep));
        double control = interval / steps;
        int substeps = Math.Max(1, (int)Math.Round(control / options.PhysicsTimeStep));
        double timeStep = control / substeps;
        if (timeStep > 0.02)
        {
            // A very slow sequence: more substeps keep the physics step inside the simulator's stable range.
            substeps = (int)Math.Ceiling(control / 0.02);
            timeStep = control / substeps;
        }

        var settings = new SimulationSettings { TimeStep = (float)timeStep, Substeps = substeps };
        settings.Validate();
        return new FrameTiming(fps, steps, settings);
    }
}
