using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Environments.Policy;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Synthetic;

/// <summary>What the error model did, frame by frame, so a report can show where the synthetic errors are.</summary>
public sealed record SyntheticCorruptionLog(
    IReadOnlyList<(int Start, int Length, bool Frozen)> OcclusionBursts,
    IReadOnlyList<(int Start, int Length, int Joint, double Angle)> Twists);

/// <summary>
/// A SYNTHETIC stand-in for an image-based hand pose estimator's output, for development and tests when no
/// real predictions are available. It corrupts a ground-truth MANO pose sequence [T, 16, 3] (axis-angle) with:
/// 1. jitter: independent per-frame rotation noise, N(0, JitterStd²) per axis;
/// 2. drift: an Ornstein–Uhlenbeck process per joint and axis, stationary std DriftStd, correlation time
///    DriftTimeConstant — the slowly wandering bias of a tracker;
/// 3. occlusion bursts: Poisson-distributed segments in which the pose is frozen at the burst's first frame
///    (probability OcclusionFreezeProbability) or receives heavy noise N(0, OcclusionNoiseStd²);
/// 4. implausible twists: occasional rotations of a finger joint about its own bone axis by 34-80°
///    (anatomically near-impossible, like the thumb artefacts the paper shows), held for a few frames.
/// Noise rotations are applied on the left of each joint's local rotation (R' = exp(ε) R); twists on the right
/// (R' = R exp(θ·axis)) because the bone axis is expressed in the joint's own frame. The wrist's noise is scaled
/// by WristScale. Output sequences are always flagged <see cref="PoseSequence.Synthetic"/>.
/// </summary>
public sealed class BaseEstimatorErrorModel
{
    private readonly SyntheticErrorOptions _options;
    private readonly double[] _axes;

    public BaseEstimatorErrorModel(SyntheticErrorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _axes = options.BoneAxes ?? BoneAxes.ApproximateMano();
    }

    public PoseSequence Apply(PoseSequence groundTruth) => Apply(groundTruth, out _);

    public PoseSequence Apply(PoseSequence groundTruth, out SyntheticCorruptionLog log)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        SyntheticErrorOptions o = _options;
        var rng = new Random(o.Seed);
        int frames = groundTruth.Frames;
        double dt = 1.0 / groundTruth.Fps;
        float[] output = new float[groundTruth.Poses.Length];

        // Event schedules are drawn first so that changing one noise level does not move the events.
        List<(int Start, int Length, bool Frozen)> bursts = ScheduleBursts(rng, frames, dt);
        List<(int Start, int Length, int Joint, double Angle)> twists = ScheduleTwists(rng, frames, dt);

        double decay = Math.Exp(-dt / o.DriftTimeConstant);
        double driftKick = o.DriftStd * Math.Sqrt(1 - (decay * decay));
        double[] drift = new double[48];
        for (int i = 0; i < 48; i++)
        {
            drift[i] = o.DriftStd * Gaussian(rng);
        }

        var burstAt = new (int Start, bool Frozen)?[frames];
        foreach ((int start, int length, bool frozen) in bursts)
        {
            for (int f = start; f < Math.Min(frames, start + length); f++)
            {
                burstAt[f] = (start, frozen);
            }
        }

        for (int f = 0; f < frames; f++)
        {
            for (int i = 0; i < 48; i++)
            {
                drift[i] = (decay * drift[i]) + (driftKick * Gaussian(rng));
            }

            for (int j = 0; j < ManoJoints.Count; j++)
            {
                double scale = j == 0 ? o.WristScale : 1.0;
                Span<float> gt = groundTruth.Frame(f).Slice(j * 3, 3);
                var rotation = Quat.FromRotationVector(gt[0], gt[1], gt[2]);
                var noise = Quat.FromRotationVector(
                    scale * ((o.JitterStd * Gaussian(rng)) + drift[j * 3]),
                    scale * ((o.JitterStd * Gaussian(rng)) + drift[(j * 3) + 1]),
                    scale * ((o.JitterStd * Gaussian(rng)) + drift[(j * 3) + 2]));
                Quat corrupted = noise * rotation;
                if (burstAt[f] is { Frozen: false })
                {
                    var heavy = Quat.FromRotationVector(scale * o.OcclusionNoiseStd * Gaussian(rng), scale * o.OcclusionNoiseStd * Gaussian(rng), scale * o.OcclusionNoiseStd * Gaussian(rng));
                    corrupted = heavy * corrupted;
                }

                (double x, double y, double z) = corrupted.ToRotationVector();
                output[(f * 48) + (j * 3)] = (float)x;
                output[(f * 48) + (j * 3) + 1] = (float)y;
                output[(f * 48) + (j * 3) + 2] = (float)z;
            }
        }

        foreach ((int start, int length, int joint, double angle) in twists)
        {
            (double ax, double ay, double az) = (_axes[joint * 3], _axes[(joint * 3) + 1], _axes[(joint * 3) + 2]);
            double n = Math.Sqrt((ax * ax) + (ay * ay) + (az * az));
            var twist = Quat.FromRotationVector(ax / n * angle, ay / n * angle, az / n * angle);
            for (int f = start; f < Math.Min(frames, start + length); f++)
            {
                int o3 = (f * 48) + (joint * 3);
                (double x, double y, double z) = (Quat.FromRotationVector(output[o3], output[o3 + 1], output[o3 + 2]) * twist).ToRotationVector();
                output[o3] = (float)x;
                output[o3 + 1] = (float)y;
                output[o3 + 2] = (float)z;
            }
        }

        // Freezing comes last: a lost tracker repeats its last output, twists and all.
        foreach ((int start, int length, bool frozen) in bursts)
        {
            if (!frozen)
            {
                continue;
            }

            for (int f = start + 1; f < Math.Min(frames, start + length); f++)
            {
                Array.Copy(output, start * 48, output, f * 48, 48);
            }
        }

        log = new SyntheticCorruptionLog(bursts, twists);
        return new PoseSequence(groundTruth.Name + " [synthetic base estimator]", output, groundTruth.Fps, groundTruth.Betas, synthetic: true);
    }

    private List<(int Start, int Length, bool Frozen)> ScheduleBursts(Random rng, int frames, double dt)
    {
        SyntheticErrorOptions o = _options;
        var bursts = new List<(int, int, bool)>();
        double probability = 1 - Math.Exp(-o.OcclusionRate * dt);
        for (int f = 0; f < frames; f++)
        {
            if (rng.NextDouble() >= probability)
            {
                continue;
            }

            double seconds = o.OcclusionMinDuration + (rng.NextDouble() * (o.OcclusionMaxDuration - o.OcclusionMinDuration));
            int length = Math.Max(1, (int)Math.Round(seconds / dt));
            bursts.Add((f, length, rng.NextDouble() < o.OcclusionFreezeProbability));
            f += length; // bursts do not overlap
        }

        return bursts;
    }

    private List<(int Start, int Length, int Joint, double Angle)> ScheduleTwists(Random rng, int frames, double dt)
    {
        SyntheticErrorOptions o = _options;
        var twists = new List<(int, int, int, double)>();
        for (int f = 0; f < frames; f++)
        {
            if (rng.NextDouble() >= o.TwistProbability)
            {
                continue;
            }

            int joint = 1 + rng.Next(ManoJoints.Count - 1);
            double magnitude = o.TwistMinAngle + (rng.NextDouble() * (o.TwistMaxAngle - o.TwistMinAngle));
            double angle = rng.Next(2) == 0 ? magnitude : -magnitude;
            double seconds = o.TwistMinDuration + (rng.NextDouble() * (o.TwistMaxDuration - o.TwistMinDuration));
            twists.Add((f, Math.Max(1, (int)Math.Round(seconds / dt)), joint, angle));
        }

        return twists;
    }

    internal static double Gaussian(Random rng) => rng.NextGaussian();
}
