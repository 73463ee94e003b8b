using System.Xml.Linq;

namespace MsMano.ModelFormats.Import;

/// <summary>A geom's collision attributes, MuJoCo defaults where the file gives none.</summary>
public sealed record MjcfGeomContact(int ContactType, int ContactAffinity, int ConDim, double Margin, double[] SolRef, double[] SolImp, double[] Friction)
{
    public static MjcfGeomContact MuJoCoDefault { get; } = new(1, 1, 3, 0, [0.02, 1], [0.9, 0.95, 0.001, 0.5, 2], [1, 0.005, 0.0001]);

    /// <summary>MuJoCo's filter: a pair collides when either geom's contype meets the other's conaffinity.</summary>
    public bool Collides(MjcfGeomContact other) =>
        (ContactType & other.ContactAffinity) != 0 || (other.ContactType & ContactAffinity) != 0;
}

/// <summary>A &lt;contact&gt;&lt;exclude body1 body2&gt;: MuJoCo never collides these two bodies.</summary>
public sealed record MjcfContactExclude(string Body1, string Body2);

/// <summary>Reads geoms' collision attributes and the &lt;contact&gt; section (excludes; explicit pairs are not supported).</summary>
internal static class MjcfContactSection
{
    public static MjcfGeomContact GeomContact(MjcfElement e)
    {
        MjcfGeomContact d = MjcfGeomContact.MuJoCoDefault;
        double[] solimp = e.VariableDoubles("solimp", 5, d.SolImp);
        double[] friction = e.VariableDoubles("friction", 3, d.Friction);
        return new MjcfGeomContact(
            (int)e.Double("contype", d.ContactType),
            (int)e.Double("conaffinity", d.ContactAffinity),
            (int)e.Double("condim", d.ConDim),
            e.Double("margin", d.Margin),
            e.Doubles("solref", 2, d.SolRef),
            [.. solimp, .. d.SolImp[solimp.Length..]],
            [.. friction, .. d.Friction[friction.Length..]]);
    }

    public static List<MjcfContactExclude> Read(XElement root, MjcfDefaults defaults)
    {
        var excludes = new List<MjcfContactExclude>();
        foreach (XElement section in root.Elements("contact"))
        {
            foreach (XElement child in section.Elements())
            {
                var e = new MjcfElement(child, defaults, MjcfDefaults.MainClass);
                switch (child.Name.LocalName)
                {
                    case "exclude":
                        excludes.Add(new MjcfContactExclude(e.RequiredString("body1"), e.RequiredString("body2")));
                        break;
                    default:
                        throw e.Error("", child.Name.LocalName, "only <exclude> is supported in <contact>; explicit pairs would change the contacts.");
                }
            }
        }
        return excludes;
    }
}
