using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;

namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// A seeded generator of plausible hand motion as <see cref="ReferenceMotion"/>s, for training IDNet without a
/// dataset and as the synthetic benchmark's ground truth. A clip is a chain of episodes (grasp/release, finger tapping,
/// pinches, free motion; see <see cref="HandMotionKind"/>), each a few key poses built with the anatomical couplings
/// (DIP follows PIP, neighbouring fingers follow a tapping finger, the thumb opposes by inverse kinematics), kept inside
/// the model's joint limits with a margin, and blended by minimum-jerk moves. Clips are flagged synthetic.
/// The same (options, seed) always gives the same motions; clip i of a mix depends only on the seed and i.
/// </summary>
public sealed class HandMotionGenerator
{
    private readonly HandMotionOptions _options;
    private readonly DofLimits _limits;
    private readonly ThumbPlacer _thumb;

    public HandMotionGenerator(HandModel model, HandMotionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _options = options ?? new HandMotionOptions();
        _options.Validate();
        Kinematics = new HandKinematics(model);
        _limits = DofLimits.Of(model, _options.LimitMargin);
        _thumb = new ThumbPlacer(Kinematics, _options.LimitMargin);
    }

    public HandMotionOptions Options => _options;

    public HandKinematics Kinematics { get; }

    /// <summary>The limits every generated angle lies within (the model's, pulled in by the margin).</summary>
    public DofLimits Limits => _limits;

    /// <summary>Frames of a clip of <see cref="HandMotionOptions.ClipSeconds"/>: both ends included.</summary>
    public int ClipFrames => (int)Math.Round(_options.ClipSeconds * _options.Fps) + 1;

    /// <summary>
    /// The default mix: <paramref name="clips"/> clips of one kind each, the kinds of the options taken in balanced
    /// rounds (each kind once per round, in a seeded order), so every kind appears once there are as many clips as kinds.
    /// </summary>
    public IReadOnlyList<GeneratedMotion> Generate(int clips, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clips);
        IReadOnlyList<HandMotionKind> kinds = _options.Kinds;
        var order = new Random(seed);
        var motions = new List<GeneratedMotion>(clips);
        HandMotionKind[] round = [];
        for (int i = 0; i < clips; i++)
        {
            if (i % kinds.Count == 0)
            {
                round = [.. kinds];
                order.Shuffle(round);
            }
            HandMotionKind kind = round[i % kinds.Count];
            string name = string.Create(CultureInfo.InvariantCulture, $"{_options.NamePrefix}-{KindName(kind)}-{i:D4}");
            motions.Add(new GeneratedMotion(kind, Build(name, ClipFrames, ClipSeed(seed, i), _ => kind)));
        }
        return motions;
    }

    /// <summary>One clip of <see cref="HandMotionOptions.ClipSeconds"/> showing only <paramref name="kind"/>.</summary>
    public ReferenceMotion GenerateClip(HandMotionKind kind, int seed, string? name = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown motion kind.");
        }
        return Build(name ?? $"{_options.NamePrefix}-{KindName(kind)}", ClipFrames, seed, _ => kind);
    }

    /// <summary>
    /// One continuous motion of exactly <paramref name="frames"/> frames whose episodes draw their kind at random from
    /// the options' kinds (a long, varied ground-truth sequence).
    /// </summary>
    public ReferenceMotion GenerateSequence(int frames, int seed, string name)
    {
        if (frames < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(frames), frames, "A motion needs at least 2 frames.");
        }
        return Build(name, frames, seed, rng => _options.Kinds[rng.Next(_options.Kinds.Count)]);
    }

    public static string KindName(HandMotionKind kind) => kind switch
    {
        HandMotionKind.Grasp => "grasp",
        HandMotionKind.Tapping => "tapping",
        HandMotionKind.Pinch => "pinch",
        _ => "free",
    };

    private ReferenceMotion Build(string name, int frames, int seed, Func<Random, HandMotionKind> nextKind)
    {
        var rng = new Random(seed);
        var clip = new ClipContext(_options, _limits, _thumb, rng);
        double duration = (frames - 1) / _options.Fps;
        // Start at rest for a moment, so an episode that begins with a fast move still starts from standstill.
        clip.Track.Hold(clip.Seconds(0.05, 0.3));
        while (clip.Track.EndTime < duration)
        {
            switch (nextKind(rng))
            {
                case HandMotionKind.Grasp:
                    GraspEpisode.Append(clip);
                    break;
                case HandMotionKind.Tapping:
                    TappingEpisode.Append(clip);
                    break;
                case HandMotionKind.Pinch:
                    PinchEpisode.Append(clip);
                    break;
                default:
                    FreeEpisode.Append(clip);
                    break;
            }
        }
        KeyPoseTrack? wrist = _options.WristAmplitude > 0 ? WristTrack(rng, duration) : null;

        float[] angles = new float[frames * HandModel.DofCount];
        float[] root = new float[frames * 3];
        double[] pose = new double[HandModel.DofCount];
        double[] rootPose = new double[3];
        for (int f = 0; f < frames; f++)
        {
            double t = f / _options.Fps;
            clip.Track.Sample(t, pose);
            for (int d = 0; d < pose.Length; d++)
            {
                // Rounding to float must not step outside the limits either.
                angles[(f * HandModel.DofCount) + d] = InsideFloat(pose[d], _limits.Lower(d), _limits.Upper(d));
            }
            if (wrist is not null)
            {
                wrist.Sample(t, rootPose);
                root[f * 3] = (float)rootPose[0];
                root[(f * 3) + 1] = (float)rootPose[1];
                root[(f * 3) + 2] = (float)rootPose[2];
            }
        }
        return new ReferenceMotion(name, angles, root, _options.Fps, synthetic: true);
    }

    /// <summary>Slow wrist wandering: a random orientation (each axis within the amplitude) every 0.8-2 s.</summary>
    private KeyPoseTrack WristTrack(Random rng, double duration)
    {
        double a = _options.WristAmplitude;
        double[] Next() => [a * ((2 * rng.NextDouble()) - 1), a * ((2 * rng.NextDouble()) - 1), a * ((2 * rng.NextDouble()) - 1)];
        var track = new KeyPoseTrack(Next());
        while (track.EndTime < duration)
        {
            track.MoveTo(Next(), _options.TimeScale * (0.8 + (1.2 * rng.NextDouble())));
        }
        return track;
    }

    private static float InsideFloat(double value, double lo, double hi)
    {
        float v = (float)value;
        if (v < lo)
        {
            v = MathF.BitIncrement(v);
        }
        else if (v > hi)
        {
            v = MathF.BitDecrement(v);
        }
        return v;
    }

    /// <summary>A well-mixed seed for clip i (SplitMix64 finaliser), so neighbouring clips share no random stream.</summary>
    private static int ClipSeed(int seed, int index)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32) + (ulong)(uint)index + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(uint)(z ^ (z >> 31));
    }
}
