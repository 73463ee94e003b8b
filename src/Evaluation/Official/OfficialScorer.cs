using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Mano;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Official;

/// <summary>
/// Scores pose sequences the way DexYCB results are scored: each hand-frame pose goes back to MANO's frame
/// (<see cref="ManoPoseConverter.ToManoPose"/>), through the full MANO layer with the subject's β and the frame's
/// translation, and its 21 joints (mm) are compared with joint_3d on the frames where the labels are valid.
/// </summary>
public sealed class OfficialScorer
{
    private readonly ManoLayer _layer;
    private readonly ManoPoseConverter _converter;
    private readonly IReadOnlyList<OfficialClip> _test;
    private readonly Dictionary<string, ShapedMano> _hands = new(StringComparer.Ordinal);

    public OfficialScorer(ManoLayer layer, ManoPoseConverter converter, IReadOnlyList<OfficialClip> test)
    {
        _layer = layer;
        _converter = converter;
        _test = test;
    }

    public IReadOnlyList<OfficialClip> Test => _test;

    /// <summary>Ground-truth joint_3d of test sequence i (mm).</summary>
    public Keypoints Truth(int i) => _test[i].JointsMm;

    public IReadOnlyList<bool> Valid(int i) => _test[i].Valid;

    /// <summary>The poses of test sequence i as MANO joints in the camera frame (mm).</summary>
    public Keypoints Joints(int i, PoseSequence poses)
    {
        OfficialClip clip = _test[i];
        if (poses.Frames != clip.Frames)
        {
            throw new ArgumentException($"Sequence {i} ({clip.Subject}) has {clip.Frames} labelled frames but {poses.Frames} poses.");
        }
        ShapedMano hand = Hand(clip);
        double[] values = new double[clip.Frames * HandJoints.Count * 3];
        double[] mano = new double[48];
        for (int f = 0; f < clip.Frames; f++)
        {
            _converter.ToManoPose(poses.Frame(f), mano);
            var t = new Vec3(clip.Translations[f * 3], clip.Translations[(f * 3) + 1], clip.Translations[(f * 3) + 2]);
            Span<double> frame = values.AsSpan(f * HandJoints.Count * 3, HandJoints.Count * 3);
            _layer.Joints21(hand, mano, t, frame);
            for (int k = 0; k < frame.Length; k++)
            {
                frame[k] *= 1000;
            }
        }
        return new Keypoints(values, clip.Frames, HandJoints.Count);
    }

    private ShapedMano Hand(OfficialClip clip)
    {
        string key = string.Join(',', clip.Betas);
        if (!_hands.TryGetValue(key, out ShapedMano? hand))
        {
            hand = _layer.Shape(Array.ConvertAll(clip.Betas, b => (double)b));
            _hands[key] = hand;
        }
        return hand;
    }
}
