using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.BioPr;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Refine;
using MsMano.Evaluation.Synthetic;
using MsMano.TestSupport;

namespace MsMano.Evaluation.Tests.BioPr;

public sealed class BioPrRunnerTests
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly HandPlant Plant = new(Model);
    private static readonly HandKinematics Kinematics = new(Model);
    private static readonly PoseAngles Poses = new(Kinematics);

    private static PoseSequence[] Predictions(params int[] frames) =>
        frames.Select((n, i) =>
        {
            PoseSequence truth = SyntheticMotion.Generate($"s{i}", n, 30, seed: 40 + i);
            return new BaseEstimatorErrorModel(new SyntheticErrorOptions { Seed = 7 + i }).Apply(truth) with { Name = $"s{i}" };
        }).ToArray();

    private static RefineNetInference SmallRefiner(int seed)
    {
        // Random small weights: a stand-in for a trained RefineNet that still depends on the reference.
        var rng = new Random(seed);
        float[] R(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * scale)).ToArray();
        return new RefineNetInference(64, R(64 * 93, 0.2), R(64, 0.1), R(48 * 64, 0.1), R(48, 0.01), residual: true);
    }

    [Fact]
    public void Shapes_are_frame_aligned_finite_and_deterministic()
    {
        PoseSequence[] predicted = Predictions(12, 9, 5, 1);
        var runner = new BioPrRunner(Plant, Poses, TestPolicies.Random());
        int frames = 0;
        IReadOnlyList<BioPrOutput> first = runner.Run(predicted, onFrame: n => frames += n);
        IReadOnlyList<BioPrOutput> second = new BioPrRunner(Plant, Poses, TestPolicies.Random()).Run(predicted);

        Assert.Equal(11 + 8 + 4, frames);
        for (int s = 0; s < predicted.Length; s++)
        {
            Assert.Equal(predicted[s].Name, first[s].Name);
            Assert.Equal(predicted[s].Frames, first[s].Frames);
            Assert.Equal(predicted[s].Poses.Length, first[s].Reference.Length);
            Assert.Null(first[s].Refined);
            Assert.All(first[s].Reference, v => Assert.True(float.IsFinite(v)));
            Assert.Equal(0, first[s].NonFiniteFrames);
            Assert.Equal(first[s].Reference, second[s].Reference);
            // The simulator does not move the wrist: every reference frame carries the predicted wrist.
            for (int f = 0; f < first[s].Frames; f++)
            {
                Assert.Equal(predicted[s].Frame(f)[..3].ToArray(), first[s].Reference.AsSpan(f * 48, 3).ToArray());
            }
        }

        // Frames after the first are simulated, so they differ from the prediction.
        Assert.NotEqual(predicted[0].Poses.AsSpan(48, 48).ToArray(), first[0].Reference.AsSpan(48, 48).ToArray());
    }

    [Fact]
    public void Input_interpolation_smooths_what_the_simulator_follows_wrist_included()
    {
        PoseSequence[] predicted = Predictions(40, 40);
        IReadOnlyList<BioPrOutput> raw = new BioPrRunner(Plant, Poses, TestPolicies.Random()).Run(predicted);
        IReadOnlyList<BioPrOutput> interpolated = new BioPrRunner(Plant, Poses, TestPolicies.Random(), new BioPrOptions { InputWindow = 8 }).Run(predicted);
        for (int s = 0; s < predicted.Length; s++)
        {
            // The reference wrist is the window mean of the predicted wrist (the simulated wrist is fixed).
            PoseSequence smoothed = new MsMano.Evaluation.Baselines.TemporalSmoothing(8).Smooth(predicted[s]);
            for (int f = 0; f < predicted[s].Frames; f++)
            {
                for (int k = 0; k < 3; k++)
                {
                    Assert.Equal(smoothed.Poses[(f * 48) + k], interpolated[s].Reference[(f * 48) + k], 5);
                }
            }

            // Jitter no longer reaches the simulator as rate noise: the finger reference's frame-to-frame acceleration drops.
            Assert.True(
                Roughness(interpolated[s].Reference) < 0.5 * Roughness(raw[s].Reference),
                $"sequence {s}: roughness {Roughness(raw[s].Reference):F5} raw vs {Roughness(interpolated[s].Reference):F5} interpolated");
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new BioPrOptions { InputWindow = -1 }.Validate());

        static double Roughness(float[] poses)
        {
            int frames = poses.Length / 48;
            double sum = 0.0;
            for (int f = 1; f < frames - 1; f++)
            {
                for (int k = 3; k < 48; k++)
                {
                    float a = poses[((f + 1) * 48) + k] - (2 * poses[(f * 48) + k]) + poses[((f - 1) * 48) + k];
                    sum += a * a;
                }
            }

            return sum / ((frames - 2) * 45);
        }
    }
    [Fact]
    public void The_lockstep_loop_allocates_only_the_per_frame_outputs()
    {
        // Allocation grows with frames only through the per-sequence arrays (angles, rates, wrist, reference, refined:
        // 192 floats a frame); the frame loop itself allocates nothing.
        var runner = new BioPrRunner(Plant, Poses, TestPolicies.Random(), new BioPrOptions { Feedback = true });
        RefineNetInference refiner = SmallRefiner(1);
        long Allocated(PoseSequence[] sequences)
        {
            runner.Run(sequences, refiner);
            long before = GC.GetAllocatedBytesForCurrentThread();
            runner.Run(sequences, refiner);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long shortRun = Allocated(Predictions(20, 20, 20, 20));
        long longRun = Allocated(Predictions(80, 80, 80, 80));
        double perSequenceFrame = (double)(longRun - shortRun) / (4 * 60);
        Assert.InRange(perSequenceFrame, 0, 192 * sizeof(float) * 1.05);
    }

    [Fact]
    public void Batching_does_not_change_any_sequence()
    {
        PoseSequence[] predicted = Predictions(10, 7, 4);
        IReadOnlyList<BioPrOutput> together = new BioPrRunner(Plant, Poses, TestPolicies.Random(2)).Run(predicted);
        IReadOnlyList<BioPrOutput> alone = new BioPrRunner(Plant, Poses, TestPolicies.Random(2), new BioPrOptions { BatchSize = 1 }).Run(predicted);
        // IDNet's kernel shares weight loads across four agents, which rounds differently from the one-agent loop; every
        // frame restarts from the prediction, so such differences stay at float rounding level instead of growing.
        for (int s = 0; s < predicted.Length; s++)
        {
            float largest = together[s].Reference.Zip(alone[s].Reference, (a, b) => Math.Abs(a - b)).Max();
            Assert.InRange(largest, 0, 1e-3);
        }
    }

    [Fact]
    public void Feedback_changes_the_refined_poses_and_no_feedback_refines_each_frame_independently()
    {
        PoseSequence[] predicted = Predictions(15, 11);
        RefineNetInference refiner = SmallRefiner(5);
        IReadOnlyList<BioPrOutput> open = new BioPrRunner(Plant, Poses, TestPolicies.Random()).Run(predicted, refiner);
        IReadOnlyList<BioPrOutput> closed = new BioPrRunner(Plant, Poses, TestPolicies.Random(), new BioPrOptions { Feedback = true }).Run(predicted, SmallRefiner(5));

        float[] expected = new float[48];
        for (int s = 0; s < predicted.Length; s++)
        {
            Assert.NotNull(open[s].Refined);
            Assert.All(closed[s].Refined!, v => Assert.True(float.IsFinite(v)));
            for (int f = 0; f < predicted[s].Frames; f++)
            {
                refiner.Refine(predicted[s].Frame(f), open[s].Reference.AsSpan(f * 48, 48), expected);
                Assert.Equal(expected, open[s].Refined!.AsSpan(f * 48, 48).ToArray());
            }

            // Frame 0 has no transition, so only later frames can differ.
            Assert.Equal(open[s].Refined!.AsSpan(0, 48).ToArray(), closed[s].Refined!.AsSpan(0, 48).ToArray());
            Assert.NotEqual(open[s].Reference.AsSpan(48 * 2).ToArray(), closed[s].Reference.AsSpan(48 * 2).ToArray());
            Assert.NotEqual(open[s].Refined!.AsSpan(48 * 2).ToArray(), closed[s].Refined!.AsSpan(48 * 2).ToArray());
        }

        Assert.Throws<ArgumentException>(() => new BioPrRunner(Plant, Poses, TestPolicies.Random(), new BioPrOptions { Feedback = true }).Run(predicted));
    }

    [Fact]
    public void Relaxed_muscles_give_a_physically_plausible_reference()
    {
        // Ground-truth motion (inside the limits) and a policy that relaxes every muscle: in one 33 ms frame the hand
        // can only coast and sag a little under gravity and passive tissue, staying within its joint limits.
        PoseSequence[] truth = Enumerable.Range(0, 4).Select(i => SyntheticMotion.Generate($"t{i}", 30, 30, seed: 70 + i)).ToArray();
        IReadOnlyList<BioPrOutput> output = new BioPrRunner(Plant, Poses, TestPolicies.Constant(-1f)).Run(truth);
        float[] angles = new float[45];
        float[] start = new float[45];
        float[] lower = Plant.LowerLimits.ToArray();
        float[] upper = Plant.UpperLimits.ToArray();
        double largest = 0.0;
        for (int s = 0; s < truth.Length; s++)
        {
            Keypoints truthKeypoints = PoseKeypoints.Millimetres(Kinematics, truth[s]);
            Keypoints referenceKeypoints = PoseKeypoints.Millimetres(Kinematics, output[s].ReferenceSequence(synthetic: true));
            for (int f = 1; f < truth[s].Frames; f++)
            {
                Poses.ToAngles(output[s].Reference.AsSpan(f * 48, 48), angles);
                Poses.ToAngles(truth[s].Frame(f - 1), start);
                for (int d = 0; d < 45; d++)
                {
                    Assert.InRange(angles[d], lower[d] - 0.05f, upper[d] + 0.05f);
                    largest = Math.Max(largest, Math.Abs(angles[d] - start[d]));
                }

                for (int j = 0; j < 21; j++)
                {
                    double moved = Math.Sqrt(Enumerable.Range(0, 3).Sum(a => Math.Pow(referenceKeypoints[f, j, a] - truthKeypoints[f - 1, j, a], 2)));
                    Assert.InRange(moved, 0, 20);
                }
            }
        }

        Assert.InRange(largest, 1e-5, 0.3);
    }

    [Fact]
    public void Bad_predictions_and_policies_are_named()
    {
        PoseSequence bad = Predictions(5)[0];
        bad.Poses[(2 * 48) + 7] = float.NaN;
        var runner = new BioPrRunner(Plant, Poses, TestPolicies.Random());
        ArgumentException error = Assert.Throws<ArgumentException>(() => runner.Run([bad]));
        Assert.Contains("'s0' frame 2 pose[7] = NaN", error.Message);

        PolicySnapshot wrongSize = MsMano.Environments.Policy.RandomPolicySnapshot.Create(observationSize: 100);
        Assert.Contains("100", Assert.Throws<ArgumentException>(() => new BioPrRunner(Plant, Poses, wrongSize)).Message);
    }

    [Fact]
    public void Latency_measurement_reports_every_configuration()
    {
        BioPrLatencyResult result = BioPrLatency.Measure(Plant, Poses, TestPolicies.Random(), SmallRefiner(2), frames: 4, batch: 3, rounds: 1, inputWindow: 2);
        Assert.Equal(["1 sequence, no feedback", "3 sequences, no feedback", "1 sequence, with feedback", "3 sequences, with feedback"], result.Rows.Select(r => r.Name));
        Assert.All(result.Rows, r => Assert.True(r.MillisecondsPerFrame > 0 && r.FramesPerSecond > 0, r.Name));
        Assert.Equal(2, result.Timing.ControlStepsPerFrame);
    }

    [Fact]
    public void Frame_timing_covers_one_frame_with_control_steps_near_the_trained_one()
    {
        var options = new BioPrOptions();
        var at30 = FrameTiming.For(30, options);
        Assert.Equal(2, at30.ControlStepsPerFrame);
        Assert.Equal(8, at30.Simulation.Substeps);
        Assert.Equal(1.0 / 30, at30.ControlStepsPerFrame * at30.Simulation.ControlStep, 6);
        var at50 = FrameTiming.For(50, options);
        Assert.Equal((1, 10), (at50.ControlStepsPerFrame, at50.Simulation.Substeps));
        Assert.Equal(0.002f, at50.Simulation.TimeStep, 6);
        var at5 = FrameTiming.For(5, options);
        Assert.Equal(10, at5.ControlStepsPerFrame);
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameTiming.For(0, options));
    }

    [Fact]
    public void Pose_angles_match_the_kinematics_both_ways()
    {
        float[] pose = SyntheticMotion.Generate("p", 3, 30, seed: 3).Frame(2).ToArray();
        float[] angles = new float[45];
        Poses.ToAngles(pose, angles);
        double[] expected = Kinematics.AnglesFromPose(pose.Select(v => (double)v).ToArray());
        Assert.All(Enumerable.Range(0, 45), d => Assert.Equal(expected[d], angles[d], 5));
        float[] back = new float[48];
        Poses.ToPose(angles, pose.AsSpan(0, 3), back);
        Assert.All(Enumerable.Range(0, 48), k => Assert.Equal(pose[k], back[k], 4));
    }

    [Fact]
    public void Finite_differences_are_central_inside_and_one_sided_at_the_ends()
    {
        float[] values = [0, 1, 4, 9];
        float[] rates = new float[4];
        FiniteDifference.Rates(values, 1, 4, 10, rates);
        Assert.Equal([10f, 20f, 40f, 50f], rates);
        FiniteDifference.Rates(values.AsSpan(0, 1), 1, 1, 10, rates.AsSpan(0, 1));
        Assert.Equal(0f, rates[0]);
    }
}
