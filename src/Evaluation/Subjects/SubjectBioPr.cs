using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Evaluation.BioPr;
using MsMano.Evaluation.Datasets.PoseFiles;

namespace MsMano.Evaluation.Subjects;

/// <summary>
/// BioPR over sequences of several subjects: the sequences of one subject (one β) share a batch and are simulated on
/// that subject's hand (<see cref="SubjectHands"/>); outputs come back in the input order. One runner per hand.
/// </summary>
public sealed class SubjectBioPr
{
    private readonly SubjectHands _hands;
    private readonly PolicySnapshot _policy;
    private readonly Dictionary<string, BioPrRunner> _runners = new(StringComparer.Ordinal);

    public SubjectBioPr(SubjectHands hands, PolicySnapshot policy, BioPrOptions options)
    {
        _hands = hands ?? throw new ArgumentNullException(nameof(hands));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        Options = options;
    }

    public BioPrOptions Options { get; }

    public IReadOnlyList<BioPrOutput> Run(
        IReadOnlyList<PoseSequence> predicted, IPoseRefiner? refiner = null, Action<int>? onFrame = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        var outputs = new BioPrOutput[predicted.Count];
        foreach (IGrouping<string, int> subject in Enumerable.Range(0, predicted.Count).GroupBy(i => _hands.Key(predicted[i].Betas)))
        {
            int[] members = subject.ToArray();
            BioPrRunner runner = Runner(subject.Key, predicted[members[0]].Betas);
            IReadOnlyList<BioPrOutput> results = runner.Run(members.Select(i => predicted[i]).ToArray(), refiner, onFrame, cancellation);
            for (int k = 0; k < members.Length; k++)
            {
                outputs[members[k]] = results[k];
            }
        }
        return outputs;
    }

    private BioPrRunner Runner(string key, float[]? betas)
    {
        if (!_runners.TryGetValue(key, out BioPrRunner? runner))
        {
            HandModel hand = _hands.For(betas);
            runner = new BioPrRunner(new HandPlant(hand), new PoseAngles(new HandKinematics(hand)), _policy, Options);
            _runners[key] = runner;
        }
        return runner;
    }
}
