using MsMano.Cluster.Bench;

namespace MsMano.Cluster.Tests.Bench;

/// <summary>The learning-quality curve read back from a run's log: both the coordinator's and the central learner's update lines.</summary>
public sealed class LearningQualityTests
{
    [Fact]
    public void Curves_are_read_from_coordinator_lines_per_update_and_from_metrics_lines_as_running_totals()
    {
        string directory = Directory.CreateTempSubdirectory("msmano-lq-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(directory, "dp-full20261205.log"),
            [
                "2026-12-05 00:00:01.000 [INF] coordinator: Update 1: policy v1, reward 0.100, 16448 transitions over 2 trainers in 1.20 s, kl 0.0100, attempt 0",
                "2026-12-05 00:00:02.000 [INF] something else entirely",
                "2026-12-05 00:00:03.000 [INF] coordinator: Update 2: policy v2, reward 0.125, 16384 transitions over 2 trainers in 1.10 s, kl 0.0090, attempt 0",
            ]);
            File.WriteAllLines(Path.Combine(directory, "central-full20261205.log"),
            [
                "[01:03:06 INF] Update 201: train/mean_reward 0.62156 train/transitions 3.2932E+06 perf/update_seconds 1.252 cluster/nodes 2",
                "[01:03:07 INF] Update 202: train/mean_reward 0.62662 train/transitions 3309568 perf/update_seconds 1.2554 cluster/nodes 2",
            ]);

            List<LearningQualityPoint> dp = LearningQuality.ReadCurve(Path.Combine(directory, "dp-full.log"), "data-parallel", 1);
            Assert.Equal([1, 2], dp.Select(p => p.Update));
            Assert.Equal([16448L, 32832L], dp.Select(p => p.Transitions));
            Assert.Equal(0.125, dp[1].MeanReward, 6);

            List<LearningQualityPoint> central = LearningQuality.ReadCurve(Path.Combine(directory, "central-full.log"), "central", 1);
            Assert.Equal([201, 202], central.Select(p => p.Update));
            Assert.Equal([3_293_200L, 3_309_568L], central.Select(p => p.Transitions));
            Assert.Equal(0.62662, central[1].MeanReward, 6);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Central_lags_make_one_labelled_curve_each_and_leave_data_parallel_alone()
    {
        var settings = new LearningQualitySettings(["central", "data-parallel"], [1], 10, 2, "idnet", 16_384, "lq.csv", "msmano.dll")
        {
            CentralLags = [0, 1],
        };

        IReadOnlyList<(string Label, string Learning, string[] Arguments)> variants = settings.Variants();

        Assert.Equal(["central-lag0", "central-lag1", "data-parallel"], variants.Select(v => v.Label));
        Assert.Equal(["--max-policy-lag", "0"], variants[0].Arguments);
        Assert.Equal(["--max-policy-lag", "1"], variants[1].Arguments);
        Assert.Empty(variants[2].Arguments);
        Assert.Equal(["central", "data-parallel"], (settings with { CentralLags = [] }).Variants().Select(v => v.Label));
    }
}
