using System.CommandLine;
using MsMano.Biomechanics.Model;
using MsMano.ModelFormats.Import;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>`msmano convert-model`: MyoHand MJCF → the project's joint-centric model file.</summary>
public static class ConvertModelCommand
{
    public static Command Create()
    {
        var mjcf = new Option<string>("--mjcf") { Description = "Path to myohand.xml.", Required = true };
        var output = new Option<string>("--out") { Description = "Output model file.", DefaultValueFactory = _ => "msmano-hand.json" };
        var command = new Command("convert-model", "Convert a MyoHand MJCF into an msmano-hand model file (paper Eq. 2-5).") { mjcf, output };
        command.SetAction(parse =>
        {
            HandModel model = MyoHandConverter.Convert(parse.GetValue(mjcf)!);
            HandModelFile.Save(model, parse.GetValue(output)!);
            Log.Information("Wrote {Path}: {Joints} joints, {Muscles} muscles, {Capsules} skin capsules, {Pairs} contact pairs that can touch",
                parse.GetValue(output), model.Joints.Length, model.Muscles.Length, model.Contacts.Geoms.Length, model.Contacts.Pairs.Length);
            return 0;
        });
        return command;
    }
}
