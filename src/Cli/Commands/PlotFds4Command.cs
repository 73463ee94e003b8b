using System.CommandLine;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Experiments;
using MsMano.Biomechanics.Model;
using ScottPlot;
using ScottPlot.Plottables;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>`msmano plot-fds4`: ring-finger joint angles under FDS4 excitation, as the paper's Fig. 6.</summary>
public static class PlotFds4Command
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "PNG path.", DefaultValueFactory = _ => "artifacts/fds4-ring-finger.png" };
        var seconds = new Option<double>("--seconds") { Description = "Simulated seconds.", DefaultValueFactory = _ => 1.0 };
        var command = new Command("plot-fds4", "Plot ring-finger MCP/PIP/DIP flexion while FDS4 alone is excited (paper Fig. 6).") { output, seconds };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(seconds)));
        return command;
    }

    public static int Run(string path, double seconds)
    {
        var plant = new HandPlant(HandModelFile.LoadDefault());
        ExcitationTrace[] traces = new[] { "FDS4", "FDP4" }.Select(m => SingleMuscleExcitation.Run(plant, m, 1f, seconds)).ToArray();
        var plot = new ScottPlot.Plot();
        Color[] colors = new[] { ScottPlot.Colors.C0, ScottPlot.Colors.C1, ScottPlot.Colors.C2 };
        foreach (ExcitationTrace trace in traces)
        {
            bool dashed = trace.Muscle != "FDS4";
            int c = 0;
            foreach ((string joint, string label) in new[] { ("ring1", "MCP"), ("ring2", "PIP"), ("ring3", "DIP") })
            {
                double[] degrees = trace.Angles[plant.DofOf(joint, 0)].Select(a => a * 180.0 / Math.PI).ToArray();
                Scatter line = plot.Add.Scatter(trace.Time, degrees);
                line.LegendText = $"{trace.Muscle}: ring {label}";
                line.MarkerSize = 0;
                line.LineWidth = 2;
                line.Color = colors[c++];
                if (dashed)
                {
                    line.LinePattern = ScottPlot.LinePattern.Dashed;
                }
            }
        }
        plot.Title("Ring finger under a single excited muscle (u = 1): FDS4 solid, FDP4 dashed");
        plot.XLabel("time (s)");
        plot.YLabel("flexion (deg)");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 560);
        Log.Information("Wrote {Path}: FDS4 ends MCP {Mcp:F1} deg, PIP {Pip:F1} deg, DIP {Dip:F1} deg", path,
            Final(plant, traces[0], "ring1"), Final(plant, traces[0], "ring2"), Final(plant, traces[0], "ring3"));
        return 0;
    }

    private static double Final(HandPlant plant, ExcitationTrace trace, string joint) =>
        trace.Final(plant.DofOf(joint, 0)) * 180 / Math.PI;
}
