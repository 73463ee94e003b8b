namespace MsMano.Biomechanics.Model;

public static partial class HandModelValidation
{
    private static void ValidateContacts(Checker v, ContactSpec? c)
    {
        const string p = "$.contacts";
        v.NotNull(p, c);
        v.NonNegative($"{p}.margin", c!.Margin);
        v.Vector($"{p}.solRef", c.SolRef, 2);
        v.Positive($"{p}.solRef[0]", c.SolRef[0]);
        v.Positive($"{p}.solRef[1]", c.SolRef[1]);
        v.Vector($"{p}.solImp", c.SolImp, 3);
        for (int i = 0; i < 2; i++)
        {
            if (!(c.SolImp[i] > 0 && c.SolImp[i] < 1))
            {
                v.Fail($"{p}.solImp[{i}]", c.SolImp[i], "an impedance must lie in (0, 1)");
            }
        }
        v.NonNegative($"{p}.friction", c.Friction);
        v.NotNull($"{p}.geoms", c.Geoms);
        for (int g = 0; g < c.Geoms.Length; g++)
        {
            string gp = $"{p}.geoms[{g}]";
            ContactGeomSpec geom = v.NotNull(gp, c.Geoms[g]);
            v.JointIndex($"{gp}.joint", geom.Joint);
            v.Vector($"{gp}.from", geom.From, 3);
            v.Vector($"{gp}.to", geom.To, 3);
            v.Positive($"{gp}.radius", geom.Radius);
            v.NonNegative($"{gp}.inverseWeight", geom.InverseWeight);
        }
        v.NotNull($"{p}.pairs", c.Pairs);
        for (int i = 0; i < c.Pairs.Length; i++)
        {
            string pp = $"{p}.pairs[{i}]";
            ContactPairSpec pair = v.NotNull(pp, c.Pairs[i]);
            foreach ((string field, int g) in new[] { ("a", pair.A), ("b", pair.B) })
            {
                if (g < 0 || g >= c.Geoms.Length)
                {
                    v.Fail($"{pp}.{field}", g, $"geom index must be in 0..{c.Geoms.Length - 1}");
                }
            }
            if (c.Geoms[pair.A].Joint == c.Geoms[pair.B].Joint)
            {
                v.Fail($"{pp}.b", pair.B, $"geoms {pair.A} and {pair.B} ride on the same joint ({c.Geoms[pair.A].Joint}) and can never move against each other");
            }
        }
    }
}
