using System.Xml.Linq;

namespace MsMano.ModelFormats.Import;

/// <summary>The &lt;compiler&gt; attributes that change how numbers are read and masses are derived.</summary>
internal sealed record MjcfCompilerSettings
{
    /// <summary>True when angles (euler, axisangle, hinge ranges) are in degrees, MuJoCo's default.</summary>
    public bool Degrees { get; init; } = true;
    public string EulerSequence { get; init; } = "xyz";
    /// <summary>"auto" (geoms give mass to bodies without &lt;inertial&gt;), "true" or "false".</summary>
    public string InertiaFromGeom { get; init; } = "auto";
    public double BoundMass { get; init; }
    public double BoundInertia { get; init; }
    public bool BalanceInertia { get; init; }

    public double Angle(double value) => Degrees ? value * Math.PI / 180.0 : value;

    /// <summary>Merges every &lt;compiler&gt; element in document order (later attributes win, as in MuJoCo).</summary>
    public static MjcfCompilerSettings Read(XElement root, MjcfDefaults defaults)
    {
        var settings = new MjcfCompilerSettings();
        foreach (XElement c in root.Elements("compiler"))
        {
            var e = new MjcfElement(c, defaults, MjcfDefaults.MainClass);
            if (e.HasExplicit("angle"))
            {
                string angle = e.RequiredString("angle");
                settings = settings with
                {
                    Degrees = angle switch
                    {
                        "degree" => true,
                        "radian" => false,
                        _ => throw e.Error("angle", angle, "expected \"degree\" or \"radian\"."),
                    },
                };
            }
            if (e.HasExplicit("eulerseq"))
            {
                string seq = e.RequiredString("eulerseq");
                if (seq.Length != 3 || seq.Any(ch => "xyzXYZ".IndexOf(ch) < 0))
                {
                    throw e.Error("eulerseq", seq, "expected three characters from xyzXYZ.");
                }
                settings = settings with { EulerSequence = seq };
            }
            if (e.HasExplicit("inertiafromgeom"))
            {
                string v = e.RequiredString("inertiafromgeom");
                if (v is not ("auto" or "true" or "false"))
                {
                    throw e.Error("inertiafromgeom", v, "expected auto, true or false.");
                }
                settings = settings with { InertiaFromGeom = v };
            }
            if (e.HasExplicit("boundmass"))
            {
                settings = settings with { BoundMass = e.Double("boundmass", 0) };
            }
            if (e.HasExplicit("boundinertia"))
            {
                settings = settings with { BoundInertia = e.Double("boundinertia", 0) };
            }
            if (e.HasExplicit("balanceinertia"))
            {
                settings = settings with { BalanceInertia = e.Bool("balanceinertia", false) };
            }
        }
        return settings;
    }
}
