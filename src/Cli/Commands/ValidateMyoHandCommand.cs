using System.CommandLine;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.ModelFormats.Agreement;
using ScottPlot.Plottables;
using Serilog;
using SkiaSharp;

namespace MsMano.Cli.Commands;

/// <summary>`msmano validate-myohand`: our hand against the golden MyoHand-in-MuJoCo references, as tables and PNG grids.</summary>
public static class ValidateMyoHandCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for agreement.md and the PNG grids.", DefaultValueFactory = _ => "artifacts/myohand-agreement" };
        var reference = new Option<string?>("--reference") { Description = "Folder with the generator's JSON (default: the references built into the program)." };
        var model = new Option<string?>("--model") { Description = "msmano-hand model file (default: the shipped hand)." };
        var command = new Command("validate-myohand", "Compare every finger muscle, co-activation case and moment arm against MyoHand in MuJoCo 3.14.") { output, reference, model };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(reference), parse.GetValue(model)));
        return command;
    }

    public static int Run(string outDir, string? referenceDir, string? modelPath)
    {
        MyoHandReference reference = referenceDir is null ? MyoHandReference.LoadEmbedded() : MyoHandReference.LoadDirectory(referenceDir);
        var plant = new HandPlant(modelPath is null ? HandModelFile.LoadDefault() : HandModelFile.Load(modelPath));
        AgreementReport report = new MyoHandAgreement(plant, reference).Run();
        Directory.CreateDirectory(outDir);
        string table = Path.Combine(outDir, "agreement.md");
        File.WriteAllText(table, AgreementMarkdown.Write(report));
        string arms = Path.Combine(outDir, "moment-arms.csv");
        File.WriteAllLines(arms, ["muscle,joint,q_rad,mujoco_dL_dq_mm,ours_dL_dq_mm", .. report.MomentArms.SelectMany(a => a.Reference.Angles.Select((q, k) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{a.Reference.Muscle},{a.Reference.Joint},{q:F4},{a.Reference.MomentArms[k] * 1000:F3},{a.Ours[k] * 1000:F3}")))]);
        string singles = Path.Combine(outDir, "myohand-single-muscles.png");
        Grid(singles, report.Muscles.Select(m => (m.Muscle, m.Full, (IReadOnlyList<string>)Distinct(m.MainJoint, m.Full.Worst.Joint))).ToArray());
        string coactivation = Path.Combine(outDir, "myohand-coactivation.png");
        Grid(coactivation, report.Coactivation.Select(c => (c.Reference.Name, c,
            (IReadOnlyList<string>)c.Rms.OrderByDescending(p => p.Value).Take(3).Select(p => p.Key).ToArray())).ToArray());
        Log.Information("Single muscles: {Pass}/{Count} within 5 deg worst-joint RMS and 5 deg main-joint end error",
            report.Muscles.Count(m => m.WorstRms.Rms <= AgreementMarkdown.SingleRmsLimit && m.MainEndError <= AgreementMarkdown.MainEndLimit), report.Muscles.Count);
        Log.Information("Moment arms: {Pass}/{Count} sweeps within 20 % or 1 mm", report.MomentArms.Count(a => a.Passes), report.MomentArms.Count);
        Log.Information("Co-activation: mean joint RMS {Mean:F2} deg, worst joint {Max:F1} deg", report.CoactivationMeanRms, report.CoactivationMaxRms);
        Log.Information("Wrote {Table}, {Arms}, {Singles}, {Coactivation}", table, arms, singles, coactivation);
        return 0;
    }

    private static string[] Distinct(params string[] joints) => joints.Distinct().ToArray();

    /// <summary>One small plot per run: MuJoCo solid, ours dashed, for the named hinges.</summary>
    private static void Grid(string path, IReadOnlyList<(string Title, RunComparison Run, IReadOnlyList<string> Joints)> cells)
    {
        const int width = 360, height = 240, columns = 6;
        int rows = (cells.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * width, rows * height));
        surface.Canvas.Clear(SKColors.White);
        ScottPlot.Color[] colors = new[] { ScottPlot.Colors.C0, ScottPlot.Colors.C1, ScottPlot.Colors.C2 };
        for (int i = 0; i < cells.Count; i++)
        {
            (string title, RunComparison run, IReadOnlyList<string> joints) = cells[i];
            var plot = new ScottPlot.Plot();
            for (int k = 0; k < joints.Count; k++)
            {
                Scatter mujoco = plot.Add.Scatter(run.Time, run.Reference.Angles[joints[k]]);
                mujoco.MarkerSize = 0;
                mujoco.LineWidth = 2;
                mujoco.Color = colors[k % colors.Length];
                mujoco.LegendText = joints[k];
                Scatter ours = plot.Add.Scatter(run.Time, run.Ours[joints[k]]);
                ours.MarkerSize = 0;
                ours.LineWidth = 2;
                ours.Color = colors[k % colors.Length];
                ours.LinePattern = ScottPlot.LinePattern.Dashed;
            }
            plot.Title($"{title}: worst {run.Worst.Rms:F1}° RMS", size: 12);
            plot.Legend.FontSize = 9;
            plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
            plot.Axes.Bottom.Label.Text = "s (MuJoCo solid, ours dashed)";
            plot.Axes.Bottom.Label.FontSize = 10;
            plot.Axes.Left.Label.Text = "deg";
            plot.Axes.Left.Label.FontSize = 10;
            using var bitmap = SKBitmap.Decode(plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
            surface.Canvas.DrawBitmap(bitmap, (i % columns) * width, (i / columns) * height);
        }
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        data.SaveTo(file);
    }
}
