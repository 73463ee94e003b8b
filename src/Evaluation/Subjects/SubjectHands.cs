using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;

namespace MsMano.Evaluation.Subjects;

/// <summary>
/// Each subject's MS-MANO hand (paper Sec. 3.2): the shipped hand put on the subject's MANO β with the template and
/// regressors of the user's MANO file (<see cref="ManoShape"/>: joint centres, re-aimed frames, attachments, masses,
/// muscle length ranges). Without a MANO file, or for a sequence without β, the shipped hand is used. Hands are built
/// once per distinct β.
/// </summary>
public sealed class SubjectHands
{
    private readonly Dictionary<string, HandModel> _hands = new(StringComparer.Ordinal);

    public SubjectHands(HandModel baseModel, ManoModel? mano)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        BaseModel = baseModel;
        Mano = mano;
    }

    public HandModel BaseModel { get; }

    public ManoModel? Mano { get; }

    /// <summary>The key sequences of one subject share: their β, or "" for the shipped hand.</summary>
    public string Key(float[]? betas) =>
        Mano is null || betas is null ? "" : string.Join(",", betas.Select(b => b.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>The hand simulated for a sequence with these β.</summary>
    public HandModel For(float[]? betas)
    {
        string key = Key(betas);
        if (key.Length == 0)
        {
            return BaseModel;
        }
        if (!_hands.TryGetValue(key, out HandModel? hand))
        {
            foreach (float b in betas!)
            {
                if (!float.IsFinite(b) || Math.Abs(b) > 10)
                {
                    throw new ArgumentException($"MANO beta {b} is not a plausible shape coefficient (finite, |beta| <= 10).", nameof(betas));
                }
            }
            hand = ManoShape.Apply(BaseModel, Mano!, Array.ConvertAll(betas!, b => (double)b));
            _hands[key] = hand;
        }
        return hand;
    }

    /// <summary>One line naming the hand a β gives: β (first three), wrist-to-middle-tip length and mean muscle rest length vs the shipped hand.</summary>
    public string Describe(float[]? betas)
    {
        HandModel hand = For(betas);
        CultureInfo c = CultureInfo.InvariantCulture;
        string beta = Key(betas).Length == 0
            ? (Mano is null ? "shipped hand (no MANO file given)" : "shipped hand (no beta)")
            : "beta [" + string.Join(", ", betas!.Take(3).Select(b => b.ToString("F2", c))) + (betas!.Length > 3 ? ", ..." : "") + "]";
        return string.Create(c, $"{beta}: hand length {HandLength(hand) * 1000:F1} mm, muscle rest lengths x{RestLengthRatio(hand):F3} of the shipped hand");
    }

    /// <summary>Mean ratio of the muscles' rest path lengths on this hand to the shipped hand's.</summary>
    public double RestLengthRatio(HandModel hand)
    {
        double[] before = RestLengths(BaseModel), after = RestLengths(hand);
        return after.Zip(before, (a, b) => a / b).Average();
    }

    /// <summary>Muscle path lengths at the rest pose (m).</summary>
    public static double[] RestLengths(HandModel hand) => new MusclePathGeometry(hand).Evaluate(new double[HandModel.DofCount]).Lengths;

    private static double HandLength(HandModel hand)
    {
        var kinematics = new HandKinematics(hand);
        Vec3[] points = kinematics.Keypoints(kinematics.Forward(new double[HandModel.DofCount], Biomechanics.Kinematics.Algebra.Mat3.Identity));
        return (points[12] - points[0]).Norm();
    }
}
