using ScottPlot.Plottables;

namespace MsMano.Learning.Training;

/// <summary>Reward curve of a training run as a PNG, with the untrained level for reference.</summary>
public static class TrainingCurvePlot
{
    public static void Save(IReadOnlyList<TrainingRecord> history, string path, string title)
    {
        var plot = new ScottPlot.Plot();
        double[] minutes = history.Select(r => r.ElapsedSeconds / 60.0).ToArray();
        Scatter reward = plot.Add.Scatter(minutes, history.Select(r => r.MeanReward).ToArray());
        reward.LegendText = "mean reward per step (batch)";
        reward.MarkerSize = 0;
        reward.LineWidth = 2;
        if (history.Count > 0)
        {
            HorizontalLine start = plot.Add.HorizontalLine(history[0].MeanReward);
            start.LegendText = $"first batch (untrained policy): {history[0].MeanReward:F3}";
            start.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("wall-clock minutes");
        plot.YLabel("reward exp(-w ||tau_pd - tau_m||)");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 560);
    }
}
