using MsMano.Cluster.Learner.DataParallel;

namespace MsMano.Cluster.Tests.Learner;

public sealed class ShareBalancerTests
{
    [Fact]
    public void EqualSpeedsOrNoMeasurementsSplitTheBatchEvenly()
    {
        Assert.Equal([8192, 8192], ShareBalancer.Shares(16_384, [0.0001, 0.0001]));
        Assert.Equal([5462, 5461, 5461], ShareBalancer.Shares(16_384, [double.NaN, double.NaN, double.NaN]));
    }

    [Fact]
    public void AMemberTwiceAsFastGetsTwiceTheShareAndTheSharesSumToTheBatch()
    {
        int[] shares = ShareBalancer.Shares(16_384, [0.0001, 0.0002]);
        Assert.Equal(16_384, shares.Sum());
        Assert.InRange(shares[0], 10_920, 10_924);
    }

    [Fact]
    public void AnUnmeasuredMemberIsTakenAtTheMeanSpeedOfTheOthers()
    {
        int[] shares = ShareBalancer.Shares(30_000, [0.0001, 0.0001, double.NaN]);
        Assert.Equal([10_000, 10_000, 10_000], shares);
    }

    [Fact]
    public void NoShareLeavesHalfToTwiceTheEqualShare()
    {
        int[] shares = ShareBalancer.Shares(16_384, [0.0001, 1.0]);
        Assert.Equal(16_384, shares.Sum());
        // Clamped at 2x and 0.5x of the equal share, then renormalised to the batch.
        Assert.InRange(shares[0], 13_100, 13_110);
        Assert.InRange(shares[1], 3_274, 3_284);
    }

    [Fact]
    public void TheRunningCostFollowsNewRoundsAndIgnoresEmptyOnes()
    {
        double cost = ShareBalancer.Update(double.NaN, 1.0, 10_000);
        Assert.Equal(1e-4, cost, 12);
        cost = ShareBalancer.Update(cost, 3.0, 10_000);
        Assert.Equal(2e-4, cost, 12);
        Assert.Equal(cost, ShareBalancer.Update(cost, 5.0, 0));
        Assert.Equal(cost, ShareBalancer.Update(cost, double.NaN, 100));
    }
}
