using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.Environments.Motion;
using MsMano.Environments.Motion.Generator;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Datasets.OakInk;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Mano;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>
/// Reference motions from a one-line spec (see Datasets/README.md):
/// <c>synthetic[:clips=64,seconds=4,seed=1,fps=30,kinds=grasp+tapping+pinch+free,wrist=0]</c>,
/// <c>json:&lt;file or folder&gt;</c>, <c>csv:&lt;file or folder&gt;</c>,
/// <c>dexycb:&lt;root&gt;[?split=train|val|test,camera=0..7,fps=30]</c> (needs <see cref="MotionCatalogOptions.ManoModelPath"/>),
/// <c>oakink:&lt;root&gt;[?split=sp0|sp1|sp2|sp0ho,part=train|test|all,views=first|all,fps=30]</c>.
/// A bad spec throws <see cref="MotionSpecException"/> naming the spec and the bad part; a bad file throws
/// <see cref="DataFormatException"/> naming the file and field.
/// </summary>
public static class MotionCatalog
{
    private static readonly Dictionary<string, HandMotionKind> KindNames = HandMotionOptions.AllKinds.ToDictionary(HandMotionGenerator.KindName);

    public static IReadOnlyList<ReferenceMotion> Load(string spec, MotionCatalogOptions? options = null)
    {
        options ??= new MotionCatalogOptions();
        var parsed = MotionSpec.Parse(spec);
        HandModel model = options.Model ?? HandModelFile.LoadDefault();
        IReadOnlyList<ReferenceMotion> motions = parsed.Kind switch
        {
            "synthetic" => Synthetic(parsed, model, options),
            "json" => PoseFileMotions.Load(parsed.Path!, PoseFileFormat.Json, new HandKinematics(model), options.OutOfRangePoses),
            "csv" => PoseFileMotions.Load(parsed.Path!, PoseFileFormat.Csv, new HandKinematics(model), options.OutOfRangePoses),
            "dexycb" => DexYcb(parsed, model, options),
            _ => OakInk(parsed, model),
        };
        if (motions.Count == 0)
        {
            throw new MotionSpecException(spec, parsed.Path ?? parsed.Kind, "yielded no motions (no annotated runs of at least 2 frames)");
        }
        return motions;
    }

    private static IReadOnlyList<ReferenceMotion> Synthetic(MotionSpec spec, HandModel model, MotionCatalogOptions options)
    {
        HandMotionOptions defaults = options.Synthetic;
        int clips = spec.Int("clips", options.SyntheticClips, 1, 1_000_000);
        int seed = spec.Int("seed", options.SyntheticSeed, int.MinValue, int.MaxValue);
        IReadOnlyList<HandMotionKind> kinds = defaults.Kinds;
        if (spec.Settings.TryGetValue("kinds", out string? kindText))
        {
            kinds = kindText.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(k => KindNames.TryGetValue(k.ToLowerInvariant(), out HandMotionKind kind)
                    ? kind
                    : throw new MotionSpecException(spec.Text, $"kinds={kindText}", $"'{k}' is not a motion kind (kinds: {string.Join(", ", KindNames.Keys)}, joined by '+')"))
                .Distinct().ToArray();
            if (kinds.Count == 0)
            {
                throw new MotionSpecException(spec.Text, $"kinds={kindText}", "names no kind");
            }
        }
        HandMotionOptions generatorOptions = defaults with
        {
            ClipSeconds = spec.Double("seconds", defaults.ClipSeconds, 0.1, 3600),
            Fps = spec.Double("fps", defaults.Fps, 1, 1000),
            WristAmplitude = spec.Double("wrist", defaults.WristAmplitude, 0, 1),
            Kinds = kinds,
        };
        HandMotionGenerator generator;
        try
        {
            generator = new HandMotionGenerator(model, generatorOptions);
        }
        catch (ArgumentException e)
        {
            throw new MotionSpecException(spec.Text, "settings", e.Message, e);
        }
        return generator.Generate(clips, seed).Select(g => g.Motion).ToArray();
    }

    private static IReadOnlyList<ReferenceMotion> DexYcb(MotionSpec spec, HandModel model, MotionCatalogOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ManoModelPath))
        {
            throw new MotionSpecException(spec.Text, "--mano",
                "DexYCB poses need --mano <MANO_RIGHT.pkl>: pose_m holds 45 PCA coefficients of MANO's hand-pose basis "
                + "(hands_components, hands_mean), which is licensed by MPI and never shipped with this project");
        }
        RequireDirectory(spec);
        var kinematics = new HandKinematics(model);
        var converter = new ManoPoseConverter(ManoModelFile.Load(options.ManoModelPath), kinematics);
        var settings = new DexYcbMotionOptions
        {
            Split = spec.Choice("split", DexYcbSplitName.Train, new Dictionary<string, DexYcbSplitName>
            {
                ["train"] = DexYcbSplitName.Train, ["val"] = DexYcbSplitName.Val, ["test"] = DexYcbSplitName.Test,
            }),
            Camera = spec.Int("camera", 0, 0, DexYcbLayout.Serials.Count - 1),
            Fps = spec.Double("fps", 30, 1, 1000),
        };
        return DexYcbMotions.Load(spec.Path!, converter, kinematics, settings);
    }

    private static IReadOnlyList<ReferenceMotion> OakInk(MotionSpec spec, HandModel model)
    {
        var settings = new OakInkMotionOptions
        {
            Split = spec.Choice("split", OakInkSplitName.SP0, new Dictionary<string, OakInkSplitName>
            {
                ["sp0"] = OakInkSplitName.SP0, ["sp1"] = OakInkSplitName.SP1, ["sp2"] = OakInkSplitName.SP2, ["sp0ho"] = OakInkSplitName.SP0HandObject,
            }),
            Part = spec.Choice("part", OakInkPart.Train, new Dictionary<string, OakInkPart>
            {
                ["train"] = OakInkPart.Train, ["test"] = OakInkPart.Test, ["all"] = OakInkPart.All,
            }),
            AllViews = spec.Choice("views", false, new Dictionary<string, bool> { ["first"] = false, ["all"] = true }),
            Fps = spec.Double("fps", 30, 1, 1000),
        };
        RequireDirectory(spec);
        return OakInkMotions.Load(spec.Path!, new HandKinematics(model), settings);
    }

    private static void RequireDirectory(MotionSpec spec)
    {
        if (!Directory.Exists(spec.Path))
        {
            throw new MotionSpecException(spec.Text, $"path '{spec.Path}'", "is not a folder");
        }
    }
}
