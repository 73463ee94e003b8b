using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Contacts;

/// <summary>
/// The model's skin contacts flattened for the step kernel: per capsule its joint, axis ends (rest offsets), radius and
/// a bounding-sphere radius for the cheap test; per pair its two capsules and MuJoCo's normal spring-damper.
/// </summary>
internal sealed class CompiledContacts
{
    public readonly int GeomCount;
    public readonly int[] GeomJoint;
    /// <summary>Both axis ends per capsule, 6 floats: from xyz, to xyz.</summary>
    public readonly float[] GeomEnds;
    public readonly float[] GeomRadius;
    /// <summary>Half the axis length plus the radius: the capsule lies in this sphere about its axis midpoint.</summary>
    public readonly float[] GeomBound;
    /// <summary>Squared axis length and its inverse (0 for a sphere): constants of the closest-point solve.</summary>
    public readonly float[] GeomLengthSquared;
    public readonly float[] GeomInverseLengthSquared;

    /// <summary>Farthest a capsule's surface lies from its joint centre: how far a spin of the body sweeps it.</summary>
    public readonly float[] GeomSwing;

    /// <summary>Dof of each chain-local slot, per chain (slot l is hinge l % 3 of the chain's joint l / 3).</summary>
    public readonly int[][] ChainDofs;

    /// <summary>The capsules some pair uses: the only ones placed in the world each substep.</summary>
    public readonly int[] UsedGeoms;

    public readonly int PairCount;
    public readonly int[] PairA;
    public readonly int[] PairB;
    public readonly float[] PairStiffness;
    public readonly float[] PairDamping;
    /// <summary>Tangential damper of MuJoCo's pyramid edges: the normal one over 1 + mu² (an edge's diagApprox is (1 + mu²)·A).</summary>
    public readonly float[] PairFrictionDamping;
    public readonly float Margin;
    /// <summary>Sliding friction coefficient (MuJoCo friction[0], the larger of the pair's; MyoHand's skin shares one).</summary>
    public readonly float Friction;

    /// <summary>Translational body_invweight0 per joint from the hand alone (0 for the palm): the fallback for geoms that carry none.</summary>
    public readonly double[] InverseWeights;

    public CompiledContacts(HandPlant plant, ContactSpec spec, RestInertia rest)
    {
        Margin = (float)spec.Margin;
        Friction = (float)spec.Friction;
        GeomCount = spec.Geoms.Length;
        GeomJoint = new int[GeomCount];
        GeomEnds = new float[6 * GeomCount];
        GeomRadius = new float[GeomCount];
        GeomBound = new float[GeomCount];
        GeomLengthSquared = new float[GeomCount];
        GeomInverseLengthSquared = new float[GeomCount];
        GeomSwing = new float[GeomCount];
        for (int g = 0; g < GeomCount; g++)
        {
            ContactGeomSpec geom = spec.Geoms[g];
            GeomJoint[g] = geom.Joint;
            double lengthSquared = 0;
            for (int a = 0; a < 3; a++)
            {
                GeomEnds[6 * g + a] = (float)geom.From[a];
                GeomEnds[6 * g + 3 + a] = (float)geom.To[a];
                double d = geom.To[a] - geom.From[a];
                lengthSquared += d * d;
            }
            GeomRadius[g] = (float)geom.Radius;
            GeomBound[g] = (float)(0.5 * Math.Sqrt(lengthSquared) + geom.Radius);
            GeomLengthSquared[g] = (float)lengthSquared;
            GeomInverseLengthSquared[g] = lengthSquared > 1e-12 ? (float)(1 / lengthSquared) : 0f;
            GeomSwing[g] = (float)(Math.Max(Norm(geom.From), Norm(geom.To)) + geom.Radius);
        }

        ChainDofs = plant.Chains.Select(chain => Enumerable.Range(0, 3 * chain.Length).Select(l => plant.DofOf(chain[l / 3], l % 3)).ToArray()).ToArray();
        InverseWeights = spec.Pairs.Length == 0 ? new double[plant.JointCount] : ContactSoftness.BodyInverseWeights(plant, rest);
        PairCount = spec.Pairs.Length;
        PairA = new int[PairCount];
        PairB = new int[PairCount];
        PairStiffness = new float[PairCount];
        PairDamping = new float[PairCount];
        PairFrictionDamping = new float[PairCount];
        for (int p = 0; p < PairCount; p++)
        {
            ContactPairSpec pair = spec.Pairs[p];
            PairA[p] = pair.A;
            PairB[p] = pair.B;
            double invWeight = InverseWeight(spec.Geoms[pair.A]) + InverseWeight(spec.Geoms[pair.B]);
            if (!(invWeight > 0))
            {
                throw new ArgumentException($"Contact pair {p} ({spec.Geoms[pair.A].Name} / {spec.Geoms[pair.B].Name}): body_invweight0 sums to {invWeight}; neither body can move, so the soft contact has no scale.");
            }
            (double k, double b) = ContactSoftness.SpringDamper(spec, invWeight);
            PairStiffness[p] = (float)k;
            PairDamping[p] = (float)b;
            PairFrictionDamping[p] = (float)(b / (1 + spec.Friction * spec.Friction));
        }
        UsedGeoms = PairA.Concat(PairB).Distinct().Order().ToArray();
    }

    private static double Norm(double[] v) => Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);

    private double InverseWeight(ContactGeomSpec geom) => geom.InverseWeight > 0 ? geom.InverseWeight : InverseWeights[geom.Joint];
}
