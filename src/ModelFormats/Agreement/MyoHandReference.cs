using System.Reflection;
using System.Text.Json;

namespace MsMano.ModelFormats.Agreement;

/// <summary>One MuJoCo run: hinge angles (deg, MyoHand coordinates) sampled every <see cref="MyoHandReference.SampleInterval"/>.</summary>
/// <param name="Name">Muscle name for single-muscle runs, case name for co-activation.</param>
/// <param name="Phases">Excitation phases in time order; a phase holds from its start until the next one.</param>
public sealed record ReferenceRun(string Name, float Excitation, IReadOnlyList<ExcitationPhase> Phases, IReadOnlyDictionary<string, double[]> Angles)
{
    public int SampleCount => Angles.Values.First().Length;
}

/// <summary>From <paramref name="Start"/> seconds: the named muscles at their levels, every other finger muscle at the background.</summary>
public sealed record ExcitationPhase(double Start, IReadOnlyDictionary<string, float> Excitations, float Background);

/// <summary>MuJoCo's moment arm (actuator_moment = dL/dq, m per rad) of one muscle over a sweep of one hinge (rad).</summary>
public sealed record MomentArmSweep(string Muscle, string Joint, double[] Angles, double[] MomentArms);

/// <summary>
/// The golden MyoHand-in-MuJoCo references written by tools/myohand-reference/generate.mjs (format
/// msmano-myohand-reference v1): single muscles, co-activation cases and moment-arm sweeps.
/// </summary>
public sealed class MyoHandReference
{
    public const string Format = "msmano-myohand-reference";
    public const string SingleFile = "single-muscle.json";
    public const string CoactivationFile = "coactivation.json";
    public const string MomentArmFile = "moment-arms.json";

    public required IReadOnlyList<string> Joints { get; init; }
    public required IReadOnlyDictionary<string, double[]> Ranges { get; init; }
    public required double SampleInterval { get; init; }
    public required ReferenceRun Relaxed { get; init; }
    public required IReadOnlyList<ReferenceRun> SingleMuscle { get; init; }
    public required IReadOnlyList<ReferenceRun> Coactivation { get; init; }
    public required IReadOnlyList<MomentArmSweep> MomentArms { get; init; }

    /// <summary>The references shipped inside this assembly.</summary>
    public static MyoHandReference LoadEmbedded() =>
        Load(name => Assembly.GetExecutingAssembly().GetManifestResourceStream($"MsMano.ModelFormats.Agreement.{name}")
            ?? throw new InvalidDataException($"embedded MyoHand reference {name} is missing from the assembly"));

    /// <summary>References from a folder holding the three files.</summary>
    public static MyoHandReference LoadDirectory(string directory) =>
        Load(name => File.OpenRead(Path.Combine(directory, name)));

    private static MyoHandReference Load(Func<string, Stream> open)
    {
        using JsonDocument single = Parse(open, SingleFile), coactivation = Parse(open, CoactivationFile), arms = Parse(open, MomentArmFile);
        JsonElement root = single.RootElement;
        string[] joints = root.GetProperty("joints").EnumerateArray().Select(j => j.GetString()!).ToArray();
        var ranges = root.GetProperty("ranges").EnumerateObject().ToDictionary(p => p.Name, p => Doubles(p.Value, SingleFile, $"ranges.{p.Name}"));
        double interval = root.GetProperty("sampleInterval").GetDouble();
        if (!(interval > 0 && interval < 1))
        {
            throw new InvalidDataException($"{SingleFile}: sampleInterval = {interval}; expected a positive number of seconds below 1");
        }
        ReferenceRun[] runs = root.GetProperty("runs").EnumerateArray().Select((r, i) =>
        {
            string muscle = r.GetProperty("muscle").GetString()!;
            float level = r.GetProperty("excitation").GetSingle();
            var phase = new ExcitationPhase(0, new Dictionary<string, float> { [muscle] = level }, 0);
            return new ReferenceRun(muscle, level, [phase], Angles(r.GetProperty("angles"), joints, SingleFile, $"runs[{i}]"));
        }).ToArray();
        var relaxed = new ReferenceRun("relaxed", 0, [new ExcitationPhase(0, new Dictionary<string, float>(), 0)],
            Angles(root.GetProperty("relaxed"), joints, SingleFile, "relaxed"));
        ReferenceRun[] cases = coactivation.RootElement.GetProperty("cases").EnumerateArray().Select((c, i) =>
        {
            ExcitationPhase[] phases = c.GetProperty("schedule").EnumerateArray().Select(p => new ExcitationPhase(
                p.GetProperty("t").GetDouble(),
                p.GetProperty("excitations").EnumerateObject().ToDictionary(e => e.Name, e => Level(e.Value, CoactivationFile, $"cases[{i}].excitations.{e.Name}")),
                Level(p.GetProperty("background"), CoactivationFile, $"cases[{i}].background"))).ToArray();
            return new ReferenceRun(c.GetProperty("name").GetString()!, 0, phases, Angles(c.GetProperty("angles"), joints, CoactivationFile, $"cases[{i}]"));
        }).ToArray();
        MomentArmSweep[] sweeps = arms.RootElement.GetProperty("sweeps").EnumerateArray().Select((s, i) => new MomentArmSweep(
            s.GetProperty("muscle").GetString()!, s.GetProperty("joint").GetString()!,
            Doubles(s.GetProperty("q"), MomentArmFile, $"sweeps[{i}].q"), Doubles(s.GetProperty("momentArm"), MomentArmFile, $"sweeps[{i}].momentArm"))).ToArray();
        return new MyoHandReference
        {
            Joints = joints, Ranges = ranges, SampleInterval = interval, Relaxed = relaxed,
            SingleMuscle = runs, Coactivation = cases, MomentArms = sweeps,
        };
    }

    private static JsonDocument Parse(Func<string, Stream> open, string name)
    {
        using Stream stream = open(name);
        var doc = JsonDocument.Parse(stream);
        string? format = doc.RootElement.TryGetProperty("format", out JsonElement f) ? f.GetString() : null;
        if (format != Format)
        {
            throw new InvalidDataException($"{name}: format = {format ?? "(missing)"}; expected {Format}");
        }
        return doc;
    }

    private static Dictionary<string, double[]> Angles(JsonElement e, string[] joints, string file, string field)
    {
        var angles = new Dictionary<string, double[]>();
        int length = -1;
        foreach (string j in joints)
        {
            if (!e.TryGetProperty(j, out JsonElement values))
            {
                throw new InvalidDataException($"{file}: {field}.angles has no joint {j}");
            }
            angles[j] = Doubles(values, file, $"{field}.angles.{j}");
            if (length >= 0 && angles[j].Length != length)
            {
                throw new InvalidDataException($"{file}: {field}.angles.{j} has {angles[j].Length} samples; the other joints have {length}");
            }
            length = angles[j].Length;
        }
        return angles;
    }

    private static double[] Doubles(JsonElement e, string file, string field)
    {
        double[] values = e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) || Math.Abs(values[i]) > 1e4)
            {
                throw new InvalidDataException($"{file}: {field}[{i}] = {values[i]}; expected a finite value of magnitude below 1e4");
            }
        }
        return values;
    }

    private static float Level(JsonElement e, string file, string field)
    {
        float v = e.GetSingle();
        if (!(v >= 0 && v <= 1))
        {
            throw new InvalidDataException($"{file}: {field} = {v}; an excitation lies in [0, 1]");
        }
        return v;
    }
}
