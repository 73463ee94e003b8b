using MsMano.Cluster.Learner;

namespace MsMano.Cluster.Tests.Learner;

public sealed class RewardPlateauTests
{
    private static bool[] Feed(RewardPlateau plateau, IEnumerable<double> rewards)
    {
        return rewards.Select(plateau.Add).ToArray();
    }

    [Fact]
    public void A_flat_reward_converges_exactly_when_two_windows_are_full()
    {
        var plateau = new RewardPlateau(window: 3, minRelativeImprovement: 0.01);

        bool[] converged = Feed(plateau, Enumerable.Repeat(0.5, 7));

        Assert.Equal([false, false, false, false, false, true, true], converged);
        Assert.Equal(0.0, plateau.LastImprovement);
    }

    [Fact]
    public void A_rising_reward_does_not_converge_until_it_levels_off()
    {
        var plateau = new RewardPlateau(window: 2, minRelativeImprovement: 0.05);

        // The last window pairs: [0.7 0.8]→[0.8 0.8] is still a 6.7 % gain; [0.8 0.8]→[0.8 0.8] is none.
        bool[] converged = Feed(plateau, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8]);

        Assert.DoesNotContain(true, converged[..10]);
        Assert.True(converged[10]);
    }

    [Fact]
    public void Improvement_is_relative_to_the_earlier_windows_magnitude_so_negative_rewards_read_the_same()
    {
        // -1.00 → -0.98 is a 2 % improvement: above 1 %, so still learning; below 3 %, so converged.
        Assert.False(Feed(new RewardPlateau(1, 0.01), [-1.0, -0.98])[^1]);
        Assert.True(Feed(new RewardPlateau(1, 0.03), [-1.0, -0.98])[^1]);
        // A falling reward is no improvement.
        Assert.True(Feed(new RewardPlateau(1, 0.0), [1.0, 0.5])[^1]);
    }

    [Fact]
    public void Window_0_never_converges_and_non_finite_rewards_are_skipped()
    {
        Assert.DoesNotContain(true, Feed(new RewardPlateau(0, 0.01), Enumerable.Repeat(1.0, 50)));

        var plateau = new RewardPlateau(1, 0.01);
        Assert.Equal([false, false, false], Feed(plateau, [1.0, double.NaN, 2.0]));
        Assert.Equal(1.0, plateau.LastImprovement);
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardPlateau(-1, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardPlateau(5, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardPlateau(5, -0.1));
    }
}
