namespace MsMano.Cluster.Learner;

/// <summary>
/// The learner's convergence test on the mean reward of each PPO update: converged once the mean of the last
/// <c>window</c> updates beats the mean of the <c>window</c> updates before them by less than
/// <c>minRelativeImprovement</c> of the earlier mean's magnitude (a fall counts as no improvement). Two disjoint
/// windows, so a few noisy batches cannot decide it; nothing is decided before 2 x window updates. A window of 0
/// turns the test off. Rewards of a resumed run start afresh: the history is not checkpointed.
/// </summary>
public sealed class RewardPlateau
{
    private readonly int _window;
    private readonly double _minRelativeImprovement;
    private readonly Queue<double> _rewards = new();

    public RewardPlateau(int window, double minRelativeImprovement)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        if (!double.IsFinite(minRelativeImprovement) || minRelativeImprovement < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minRelativeImprovement), minRelativeImprovement, "must be a finite number >= 0");
        }
        _window = window;
        _minRelativeImprovement = minRelativeImprovement;
    }

    /// <summary>Relative improvement of the last window over the one before, once 2 x window updates are in; else null.</summary>
    public double? LastImprovement { get; private set; }

    /// <summary>Adds one update's mean reward; true when the reward has plateaued.</summary>
    public bool Add(double meanReward)
    {
        if (_window == 0 || !double.IsFinite(meanReward))
        {
            return false;
        }
        _rewards.Enqueue(meanReward);
        if (_rewards.Count > 2 * _window)
        {
            _rewards.Dequeue();
        }
        if (_rewards.Count < 2 * _window)
        {
            return false;
        }
        double earlier = _rewards.Take(_window).Average();
        double recent = _rewards.Skip(_window).Average();
        // Relative to the earlier mean's magnitude so the test reads the same for rewards around +1 or -1; the floor
        // keeps a reward that sits at 0 from dividing by 0 (any rise from there is then a large improvement).
        double improvement = (recent - earlier) / Math.Max(Math.Abs(earlier), 1e-9);
        LastImprovement = improvement;
        return improvement < _minRelativeImprovement;
    }
}
