using System.Globalization;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Dashboard.Clips;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Environments.Policy;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Datasets.PoseFiles;

namespace MsMano.Cli.Recording;

/// <summary>
/// The three clip kinds the viewer plays, recorded from the real simulator, policy and benchmark: a single-muscle
/// excitation (paper Fig. 6), IDNet tracking a reference with the muscles driving, and a BioPR result.
/// </summary>
public static class ClipRecorders
{
    /// <summary>
    /// Fig. 6 protocol: every other muscle relaxed, <paramref name="muscle"/> excited at <paramref name="excitation"/> for
    /// <paramref name="seconds"/>, then released for <paramref name="relaxSeconds"/>; one frame per 20 ms control step.
    /// The series are the flexion of the joints it crosses.
    /// </summary>
    public static HandClip Excitation(HandModel model, string muscle, float excitation = 1f, double seconds = 1.0, double relaxSeconds = 0.5)
    {
        var plant = new HandPlant(model);
        int index = plant.MuscleIndex(muscle);
        var batch = new HandBatch(plant, 1);
        var builder = new HandClipBuilder(model, [.. plant.MuscleNames]);
        var angles = new List<double[]>();
        var activations = new List<float[]>();
        Capture(batch, angles, activations);
        int onSteps = (int)Math.Round(seconds / batch.Settings.ControlStep);
        int offSteps = (int)Math.Round(relaxSeconds / batch.Settings.ControlStep);
        for (int s = 0; s < onSteps + offSteps; s++)
        {
            batch.Excitations(index)[0] = s < onSteps ? excitation : 0f;
            batch.Step();
            Capture(batch, angles, activations);
        }
        // The joints the muscle crosses: those its via points ride on, and their ancestors below the fixed root.
        var crossed = new SortedSet<int>();
        foreach (ViaPoint via in model.Muscles.First(m => m.Name == plant.MuscleNames[index]).Path)
        {
            for (int j = via.Joint; j > 0; j = model.Joints[j].Parent)
            {
                crossed.Add(j);
            }
        }
        var moved = crossed.Take(4).ToList();
        string name = plant.MuscleNames[index];
        return new HandClip
        {
            Kind = "excitation",
            Title = string.Create(CultureInfo.InvariantCulture, $"{name} alone at u = {excitation:0.##} (paper Fig. 6 protocol)"),
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Every other muscle relaxed; {name} excited for {seconds:0.##} s, then released for {relaxSeconds:0.##} s. Simulated by HandBatch, 2 ms steps."),
            Fps = Math.Round(1.0 / batch.Settings.ControlStep, 3),
            Frames = angles.Count,
            Skeleton = builder.Skeleton(),
            Muscles = builder.Muscles,
            Layers = [builder.Layer($"simulated hand ({name})", "main", angles, withMuscles: true, activations: activations)],
            Series = [.. moved.Select(j => new ClipSeries($"{model.Joints[j].Name} flexion", "deg", [.. angles.Select(a => (float)(a[plant.DofOf(j, 0)] * 180 / Math.PI))]))],
        }.Validate();
    }

    /// <summary>
    /// IDNet in test mode (PD off, the policy's mean excitations drive the muscles) tracking <paramref name="motion"/>
    /// from its start for <paramref name="seconds"/>; the reference is the ghost layer. Series: RMS joint-angle error.
    /// </summary>
    public static HandClip Tracking(HandModel model, ReferenceMotion motion, PolicySnapshot policy, IdNetEnvironmentOptions options, double seconds, ulong seed = 1)
    {
        var plant = new HandPlant(model);
        var env = new IdNetEnvironment(plant, [motion], 1, options with { Mode = EnvironmentMode.Test }, seed);
        env.StartAt(0, 0, 0);
        var runner = new PolicyRunner(policy, 1);
        if (runner.ObservationSize != env.ObservationSize || runner.ActionSize != env.ActionSize)
        {
            throw new ArgumentException($"the policy reads {runner.ObservationSize} numbers and writes {runner.ActionSize}; this environment has {env.ObservationSize} and {env.ActionSize} (--no-wrist?).");
        }
        var builder = new HandClipBuilder(model, [.. plant.MuscleNames]);
        var simulated = new List<double[]>();
        var activations = new List<float[]>();
        var reference = new List<double[]>();
        var error = new List<float>();
        float[] observations = new float[env.ObservationSize];
        float[] actions = new float[env.ActionSize];
        float[] rewards = new float[1];
        var flags = new TransitionFlags[1];
        float[] refAngles = new float[ReferenceMotion.DofCount];
        float[] scratch = new float[ReferenceMotion.DofCount];
        float[] root = new float[3];
        float[] rootRate = new float[3];
        int steps = (int)Math.Floor(Math.Min(seconds, motion.Duration) / options.Simulation.ControlStep) - 1;
        for (int t = 0; t <= steps; t++)
        {
            Capture(env.Batch, simulated, activations);
            motion.Sample(env.ClipTime(0), refAngles, scratch, root, rootRate);
            reference.Add([.. refAngles.Select(a => (double)a)]);
            error.Add((float)(Math.Sqrt(simulated[^1].Zip(reference[^1], (a, b) => (a - b) * (a - b)).Average()) * 180 / Math.PI));
            if (t == steps)
            {
                break;
            }
            env.WriteObservations(observations);
            runner.EvaluateMean(observations, actions);
            env.Step(actions, rewards, flags);
            if ((flags[0] & (TransitionFlags.Terminated | TransitionFlags.Truncated)) != 0)
            {
                // The environment restarted the agent (end of clip or a non-finite state): the clip ends here.
                break;
            }
        }
        return new HandClip
        {
            Kind = "tracking",
            Title = string.Create(CultureInfo.InvariantCulture, $"IDNet v{policy.Version} tracking {motion.Name}"),
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Test mode: PD drive off, IDNet's mean excitations drive the 31 finger muscles; the reference is the ghost. Mean RMS joint error {error.Average():F2} deg."),
            Fps = Math.Round(1.0 / options.Simulation.ControlStep, 3),
            Frames = simulated.Count,
            Skeleton = builder.Skeleton(),
            Muscles = builder.Muscles,
            Layers =
            [
                builder.Layer("IDNet (muscles driving)", "main", simulated, withMuscles: true, activations: activations),
                builder.Layer("reference", "ghost", reference),
            ],
            Series = [new ClipSeries("RMS joint-angle error", "deg", error)],
        }.Validate();
    }

    /// <summary>A BioPR result: ground truth, base prediction and BioPR + RefineNet for one test sequence (MANO poses, wrist included).</summary>
    public static HandClip BioPr(HandModel model, BenchmarkSample sample, long policyVersion, string dataset)
    {
        var plant = new HandPlant(model);
        var builder = new HandClipBuilder(model, [.. plant.MuscleNames]);
        (List<double[]> Angles, List<Vec3> Roots) truth = Angles(builder.Kinematics, sample.GroundTruth);
        (List<double[]> Angles, List<Vec3> Roots) predicted = Angles(builder.Kinematics, sample.Predicted);
        (List<double[]> Angles, List<Vec3> Roots) refined = Angles(builder.Kinematics, sample.Refined);
        ClipLayer truthPoints = builder.Layer("ground truth", "truth", truth.Angles, truth.Roots);
        ClipLayer basePoints = builder.Layer("base prediction", "base", predicted.Angles, predicted.Roots);
        ClipLayer refinedPoints = builder.Layer("BioPR + RefineNet", "refined", refined.Angles, refined.Roots, withMuscles: true);
        return new HandClip
        {
            Kind = "biopr",
            Title = $"BioPR on {sample.Name} ({dataset}, IDNet v{policyVersion})",
            Description = "Ground truth (green), the base estimator's prediction (red) and BioPR + RefineNet (blue, with its muscle paths); mean keypoint errors per frame below.",
            Fps = sample.GroundTruth.Fps,
            Frames = truth.Angles.Count,
            Skeleton = builder.Skeleton(),
            Muscles = builder.Muscles,
            Layers = [truthPoints, basePoints, refinedPoints],
            Series =
            [
                new ClipSeries("base error", "mm", KeypointError(truthPoints, basePoints), "base"),
                new ClipSeries("BioPR error", "mm", KeypointError(truthPoints, refinedPoints), "refined"),
            ],
        }.Validate();
    }

    private static (List<double[]> Angles, List<Vec3> Roots) Angles(HandKinematics kinematics, PoseSequence sequence)
    {
        var angles = new List<double[]>(sequence.Frames);
        var roots = new List<Vec3>(sequence.Frames);
        for (int f = 0; f < sequence.Frames; f++)
        {
            double[] pose = [.. sequence.Frame(f).ToArray().Select(v => (double)v)];
            angles.Add(kinematics.AnglesFromPose(pose));
            roots.Add(HandKinematics.RootRotationOf(pose));
        }
        return (angles, roots);
    }

    // Mean distance over the skeleton points, per frame, root-relative (the point 0 is the wrist).
    private static float[] KeypointError(ClipLayer truth, ClipLayer other)
    {
        float[] error = new float[truth.Points.Count];
        for (int f = 0; f < error.Length; f++)
        {
            float[] a = truth.Points[f], b = other.Points[f];
            int n = a.Length / 3;
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double dx = (a[i * 3] - a[0]) - (b[i * 3] - b[0]), dy = (a[(i * 3) + 1] - a[1]) - (b[(i * 3) + 1] - b[1]), dz = (a[(i * 3) + 2] - a[2]) - (b[(i * 3) + 2] - b[2]);
                sum += Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
            }
            error[f] = (float)(sum / n);
        }
        return error;
    }

    private static void Capture(HandBatch batch, List<double[]> angles, List<float[]> activations)
    {
        double[] q = new double[batch.DofCount];
        for (int d = 0; d < q.Length; d++)
        {
            q[d] = batch.Angle(0, d);
        }
        float[] a = new float[batch.MuscleCount];
        for (int m = 0; m < a.Length; m++)
        {
            a[m] = batch.Activations(m)[0];
        }
        angles.Add(q);
        activations.Add(a);
    }
}
