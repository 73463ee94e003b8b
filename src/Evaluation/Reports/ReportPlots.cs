using MsMano.Evaluation.Metrics;
using ScottPlot.Plottables;

namespace MsMano.Evaluation.Reports;

/// <summary>ScottPlot PNG figures for reports.</summary>
public static class ReportPlots
{
    public const int Width = 900;
    public const int Height = 420;

    /// <summary>Root-relative per-frame MPJPE of each method over a sequence.</summary>
    public static void ErrorOverTime(string path, SequenceDetail sequence, bool synthetic)
    {
        var plot = new ScottPlot.Plot();
        double[] frames = Enumerable.Range(0, sequence.GtMm.Frames).Select(f => (double)f).ToArray();
        for (int m = 0; m < sequence.Predictions.Count; m++)
        {
            (string method, Keypoints pred) = sequence.Predictions[m];
            double[] perFrame = Mpjpe.PerFrame(KeypointErrors.Distances(sequence.GtMm, pred, Alignment.RootRelative));
            Scatter line = plot.Add.ScatterLine(frames, perFrame);
            line.Color = MethodColor(m);
            line.LegendText = method;
        }

        plot.Title(Title($"Error over time: {sequence.Name}", synthetic));
        plot.XLabel("frame");
        plot.YLabel("root-relative MPJPE (mm)");
        plot.ShowLegend();
        plot.SavePng(path, Width, Height);
    }

    /// <summary>x, y, z of one joint (root-relative) over time: ground truth and each method.</summary>
    public static void JointTrajectory(string path, SequenceDetail sequence, bool synthetic)
    {
        var plot = new ScottPlot.Plot();
        double[] frames = Enumerable.Range(0, sequence.GtMm.Frames).Select(f => (double)f).ToArray();
        var series = new List<(string Label, Keypoints Kp)> { ("ground truth", sequence.GtMm) };
        series.AddRange(sequence.Predictions.Select(p => (p.Method, p.PredMm)));
        for (int s = 0; s < series.Count; s++)
        {
            Keypoints relative = series[s].Kp.RootRelative();
            for (int axis = 0; axis < 3; axis++)
            {
                double[] values = frames.Select(f => relative[(int)f, sequence.Joint, axis]).ToArray();
                Scatter line = plot.Add.ScatterLine(frames, values);
                // Ground truth in black; each method keeps its colour from the error-over-time plot.
                line.Color = s == 0 ? ScottPlot.Colors.Black : MethodColor(s - 1);
                line.LineWidth = s == 0 ? 2.5f : 1.2f;
                line.LinePattern = axis switch
                {
                    0 => ScottPlot.LinePattern.Solid,
                    1 => ScottPlot.LinePattern.Dashed,
                    _ => ScottPlot.LinePattern.Dotted,
                };
                if (axis == 0)
                {
                    line.LegendText = series[s].Label;
                }
            }
        }

        plot.Title(Title($"{HandJoints.Names[sequence.Joint]} trajectory (x solid, y dashed, z dotted): {sequence.Name}", synthetic));
        plot.XLabel("frame");
        plot.YLabel("position relative to wrist (mm)");
        plot.ShowLegend();
        plot.SavePng(path, Width, Height);
    }

    private static ScottPlot.Color MethodColor(int method) => new ScottPlot.Palettes.Category10().GetColor(method);

    private static string Title(string text, bool synthetic) => synthetic ? $"SYNTHETIC DATA - {text}" : text;
}
