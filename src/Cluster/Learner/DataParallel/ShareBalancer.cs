namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>
/// Sizes each member's share of the global batch by how fast it computed its last shards, so members on slower or
/// busier cores finish their minibatches together and nobody waits at the all-reduce. The update stays exact: the
/// group's gradients are sums over the union batch whatever the split.
/// </summary>
public static class ShareBalancer
{
    /// <summary>No share drops below this fraction of the equal share, nor rises above its inverse: one noisy round cannot starve or swamp a member.</summary>
    public const double MinRelativeShare = 0.5;

    /// <summary>Weight of the newest round in a member's running seconds per transition.</summary>
    public const double Smoothing = 0.5;

    /// <summary>
    /// Shares of <paramref name="batch"/> proportional to each member's speed (1 / seconds per transition), clamped to
    /// [<see cref="MinRelativeShare"/>, 1 / <see cref="MinRelativeShare"/>] of the equal share, summing to the batch
    /// exactly. A member with no measurement yet (NaN) is taken at the known members' mean speed.
    /// </summary>
    public static int[] Shares(int batch, IReadOnlyList<double> secondsPerTransition)
    {
        ArgumentNullException.ThrowIfNull(secondsPerTransition);
        int n = secondsPerTransition.Count;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, n);
        double[] speeds = new double[n];
        double known = 0;
        int knownCount = 0;
        for (int i = 0; i < n; i++)
        {
            double cost = secondsPerTransition[i];
            if (double.IsFinite(cost) && cost > 0)
            {
                speeds[i] = 1.0 / cost;
                known += speeds[i];
                knownCount++;
            }
            else
            {
                speeds[i] = double.NaN;
            }
        }
        double fallback = knownCount > 0 ? known / knownCount : 1.0;
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(speeds[i]))
            {
                speeds[i] = fallback;
            }
        }
        double total = speeds.Sum();
        double equal = 1.0 / n;
        double[] fractions = speeds.Select(s => Math.Clamp(s / total, equal * MinRelativeShare, equal / MinRelativeShare)).ToArray();
        double sum = fractions.Sum();
        int[] shares = new int[n];
        int assigned = 0;
        for (int i = 0; i < n; i++)
        {
            shares[i] = Math.Max(1, (int)Math.Floor(batch * fractions[i] / sum));
            assigned += shares[i];
        }
        // Hand out the rounding remainder (or take back an excess) one transition at a time, largest share first.
        int[] order = Enumerable.Range(0, n).OrderByDescending(i => fractions[i]).ToArray();
        for (int k = 0; assigned != batch; k = (k + 1) % n)
        {
            int i = order[k];
            int step = assigned < batch ? 1 : (shares[i] > 1 ? -1 : 0);
            shares[i] += step;
            assigned += step;
        }
        return shares;
    }

    /// <summary>The running seconds per transition after a round in which a member worked <paramref name="seconds"/> on <paramref name="transitions"/>.</summary>
    public static double Update(double previous, double seconds, int transitions)
    {
        if (transitions <= 0 || !double.IsFinite(seconds) || seconds <= 0)
        {
            return previous;
        }
        double cost = seconds / transitions;
        return double.IsFinite(previous) && previous > 0 ? Smoothing * cost + (1 - Smoothing) * previous : cost;
    }
}
