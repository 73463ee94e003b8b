using System.Runtime.CompilerServices;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Contacts;

/// <summary>
/// The contact pass of one substep for one bundle: every capsule's axis in the world, then per pair a bounding-sphere
/// test (a pair no lane reaches costs one distance), and for pairs some lane reaches the exact capsule-capsule distance,
/// MuJoCo's normal force as a spring-damper past the margin, and its generalized forces on both bodies' chains. The
/// damper and the spring's velocity term are implicit in each chain's block (as the muscles' fibre damping is), so the
/// 2 ms step stays stable; the two chains' cross term is left out (each side sees the other as fixed).
/// </summary>
internal static class ContactKernel<T> where T : unmanaged, ILane<T>
{
    public static void Apply(HandPlant plant, StepKernel<T>.Workspace w, T dt)
    {
        CompiledContacts c = plant.Contacts;
        for (int d = 0; d < w.ContactForce.Length; d++)
        {
            w.ContactForce[d] = T.Zero;
        }
        if (c.PairCount == 0)
        {
            return;
        }
        foreach (int g in c.UsedGeoms)
        {
            int j = c.GeomJoint[g];
            int o = 6 * g;
            w.ContactEnds[2 * g] = w.Pos[j] + w.Rot[j].Transform(c.GeomEnds[o], c.GeomEnds[o + 1], c.GeomEnds[o + 2]);
            w.ContactEnds[2 * g + 1] = w.Pos[j] + w.Rot[j].Transform(c.GeomEnds[o + 3], c.GeomEnds[o + 4], c.GeomEnds[o + 5]);
        }
        T half = T.Splat(0.5f);
        for (int p = 0; p < c.PairCount; p++)
        {
            int ga = c.PairA[p], gb = c.PairB[p];
            Vec3<T> centres = (w.ContactEnds[2 * gb] + w.ContactEnds[2 * gb + 1] - w.ContactEnds[2 * ga] - w.ContactEnds[2 * ga + 1]) * half;
            float reach = c.GeomBound[ga] + c.GeomBound[gb] + c.Margin;
            if (T.AnyTrue(T.LessThan(Vec3<T>.Dot(centres, centres), T.Splat(reach * reach))))
            {
                Pair(plant, c, p, w, dt);
            }
        }
    }

    /// <summary>Exact distance and force of one pair (kept out of line so the bounding test's loop stays small).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Pair(HandPlant plant, CompiledContacts c, int p, StepKernel<T>.Workspace w, T dt)
    {
        int ga = c.PairA[p], gb = c.PairB[p];
        T distance = Closest(c, ga, gb, w, out Vec3<T> onA, out Vec3<T> normal);
        T margin = T.Splat(c.Margin);
        T touching = T.LessThan(distance, margin);
        if (!T.AnyTrue(touching))
        {
            return;
        }
        // MuJoCo's contact point: midway between the two surfaces.
        var point = Vec3<T>.MulAdd(normal, T.Splat(c.GeomRadius[ga]) + distance * T.Splat(0.5f), onA);

        // Jacobian rows of the relative velocity at the point along the normal and two tangents: B's chain positive, A's negative.
        int ja = c.GeomJoint[ga], jb = c.GeomJoint[gb];
        int chainA = plant.ChainOfJoint[ja], chainB = plant.ChainOfJoint[jb];
        const int n = HandPlant.MaxChainDofs;
        Span<T> g = w.ContactG;
        g.Clear();
        int slotB = chainB == chainA ? 0 : n;
        // Only the dofs between the palm and each body move its point: a proximal phalanx has 3, a distal one 9.
        int sizeA = ja == 0 ? 0 : 3 * (plant.IndexInChain[ja] + 1);
        int sizeB = 3 * (plant.IndexInChain[jb] + 1);
        if (slotB == 0)
        {
            sizeA = sizeB = Math.Max(sizeA, sizeB);
        }
        Tangents(normal, out Vec3<T> t1, out Vec3<T> t2);
        Jacobian(plant, w, ja, point, normal, t1, t2, g, 0, negate: true);
        Jacobian(plant, w, jb, point, normal, t1, t2, g, slotB, negate: false);

        T speed = Project(plant, w, chainA, g, 0, sizeA, T.Zero);
        T slide1 = Project(plant, w, chainA, g, Row, sizeA, T.Zero);
        T slide2 = Project(plant, w, chainA, g, 2 * Row, sizeA, T.Zero);
        if (slotB != 0)
        {
            speed = Project(plant, w, chainB, g, slotB, sizeB, speed);
            slide1 = Project(plant, w, chainB, g, Row + slotB, sizeB, slide1);
            slide2 = Project(plant, w, chainB, g, 2 * Row + slotB, sizeB, slide2);
        }
        T k = T.Splat(c.PairStiffness[p]);
        T b = T.Splat(c.PairDamping[p]);
        T viscous = k * dt + b;
        T force = k * (margin - distance) - viscous * speed;
        T active = T.Select(touching, T.GreaterThan(force, T.Zero), T.Zero);
        force = T.Select(active, force, T.Zero);
        T implicitGain = T.Select(active, viscous * dt, T.Zero);
        // Friction as MuJoCo's soft pyramid gives it: each edge's damper d·B/((1 − d)·A_edge), A_edge = (1 + mu²)·A, is a
        // viscous drag in the tangent plane, capped by the cone (mu N over the sliding speed). Explicit: the drag is at most
        // half the normal damper, whose explicit limit (2/dt over the point's mobility) it stays well inside.
        T coulomb = T.Splat(c.Friction) * force / T.Sqrt(slide1 * slide1 + slide2 * slide2 + T.Splat(SlipSpeed * SlipSpeed));
        T drag = T.Min(coulomb, T.Splat(c.PairFrictionDamping[p]));
        var forces = new Rows(force, -drag * slide1, -drag * slide2, implicitGain);
        Apply(plant, w, chainA, g, 0, sizeA, forces);
        if (slotB != 0)
        {
            Apply(plant, w, chainB, g, slotB, sizeB, forces);
        }
    }

    /// <summary>Slots per Jacobian row in <c>Workspace.ContactG</c> (two chains of 9 dofs).</summary>
    private const int Row = 2 * HandPlant.MaxChainDofs;

    /// <summary>Regularises the cone's mu N / |v_t| at rest (m/s).</summary>
    internal const float SlipSpeed = 1e-3f;

    /// <summary>Generalized-force weights of one pair's three rows, and the normal's implicit gain.</summary>
    private readonly record struct Rows(T Normal, T Tangent1, T Tangent2, T NormalGain);

    /// <summary>An orthonormal tangent basis of the contact plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tangents(in Vec3<T> normal, out Vec3<T> t1, out Vec3<T> t2)
    {
        T useX = T.LessThan(T.Abs(normal.X), T.Splat(0.9f));
        var helper = new Vec3<T>(T.Select(useX, T.One, T.Zero), T.Select(useX, T.Zero, T.One), T.Zero);
        var a = Vec3<T>.Cross(normal, helper);
        t1 = a * (T.One / T.Sqrt(T.Max(Vec3<T>.Dot(a, a), T.Splat(1e-30f))));
        t2 = Vec3<T>.Cross(normal, t1);
    }

    /// <summary>
    /// Closest points of the two capsules' axes (Ericson's clamped solve, branch-free over lanes); returns the surface
    /// distance, the closest point on A's axis and the unit normal from A to B.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Closest(CompiledContacts c, int ga, int gb, StepKernel<T>.Workspace w, out Vec3<T> onA, out Vec3<T> normal)
    {
        T zero = T.Zero, one = T.One;
        Vec3<T> p0 = w.ContactEnds[2 * ga], q0 = w.ContactEnds[2 * gb];
        Vec3<T> d1 = w.ContactEnds[2 * ga + 1] - p0;
        Vec3<T> d2 = w.ContactEnds[2 * gb + 1] - q0;
        Vec3<T> r = p0 - q0;
        T a = T.Splat(c.GeomLengthSquared[ga]), e = T.Splat(c.GeomLengthSquared[gb]);
        T invA = T.Splat(c.GeomInverseLengthSquared[ga]), invE = T.Splat(c.GeomInverseLengthSquared[gb]);
        T b = Vec3<T>.Dot(d1, d2), cc = Vec3<T>.Dot(d1, r), f = Vec3<T>.Dot(d2, r);
        T denom = a * e - b * b;
        // Nearly parallel axes (denom ~ 0, where float cancels) take the middle of their overlap, as the mean of MuJoCo's
        // two contacts there; a sphere has invA = 0 and stays at s = 0.
        T parallel = T.LessThan(denom, T.Splat(1e-6f) * a * e + T.Splat(1e-20f));
        T overlap = (Clamp01(-cc * invA) + Clamp01((b - cc) * invA)) * T.Splat(0.5f);
        T s = T.Select(parallel, overlap, Clamp01((b * f - cc * e) / T.Max(denom, T.Splat(1e-30f))));
        // Then each parameter projected on the other's point: exact when t needed no clamp, and it repairs the float
        // cancellation of nearly parallel axes, where s alone is ill-conditioned but the alternate projections are not.
        T tc = Clamp01((b * s + f) * invE);
        s = Clamp01((b * tc - cc) * invA);
        tc = Clamp01((b * s + f) * invE);
        onA = Vec3<T>.MulAdd(d1, s, p0);
        var onB = Vec3<T>.MulAdd(d2, tc, q0);
        Vec3<T> diff = onB - onA;
        T length = T.Sqrt(Vec3<T>.Dot(diff, diff));
        normal = diff * (one / T.Max(length, T.Splat(1e-9f)));
        return length - T.Splat(c.GeomRadius[ga] + c.GeomRadius[gb]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Clamp01(T x) => T.Min(T.Max(x, T.Zero), T.One);

    /// <summary>Adds (or subtracts) d(point velocity)/dq̇ of the body at joint <paramref name="j"/> along the normal and tangents into chain-local slots.</summary>
    private static void Jacobian(HandPlant plant, StepKernel<T>.Workspace w, int j, in Vec3<T> point, in Vec3<T> normal, in Vec3<T> t1, in Vec3<T> t2,
        Span<T> g, int slot, bool negate)
    {
        if (j == 0)
        {
            return; // the palm is fixed
        }
        int[] chain = plant.Chains[plant.ChainOfJoint[j]];
        for (int ik = 0; ik <= plant.IndexInChain[j]; ik++)
        {
            int i = chain[ik];
            Vec3<T> r = point - w.Pos[i];
            int d0 = 3 * (i - 1);
            for (int a = 0; a < 3; a++)
            {
                var e = Vec3<T>.Cross(w.Axis[d0 + a], r);
                if (negate)
                {
                    e = -e;
                }
                int l = slot + 3 * ik + a;
                g[l] += Vec3<T>.Dot(e, normal);
                g[Row + l] += Vec3<T>.Dot(e, t1);
                g[2 * Row + l] += Vec3<T>.Dot(e, t2);
            }
        }
    }

    private static T Project(HandPlant plant, StepKernel<T>.Workspace w, int chain, Span<T> g, int slot, int size, T sum)
    {
        if (chain < 0)
        {
            return sum;
        }
        int[] joints = plant.Chains[chain];
        for (int l = 0; l < size; l++)
        {
            sum = T.MulAdd(g[slot + l], w.Qd[3 * (joints[l / 3] - 1) + l % 3], sum);
        }
        return sum;
    }

    private static void Apply(HandPlant plant, StepKernel<T>.Workspace w, int chain, Span<T> g, int slot, int size, in Rows f)
    {
        if (chain < 0)
        {
            return;
        }
        const int n = HandPlant.MaxChainDofs;
        int[] joints = plant.Chains[chain];
        int blockBase = chain * n * n;
        for (int l = 0; l < size; l++)
        {
            int d = 3 * (joints[l / 3] - 1) + l % 3;
            T gn = g[slot + l], g1 = g[Row + slot + l], g2 = g[2 * Row + slot + l];
            w.ContactForce[d] = T.MulAdd(gn, f.Normal, T.MulAdd(g1, f.Tangent1, T.MulAdd(g2, f.Tangent2, w.ContactForce[d])));
            T an = gn * f.NormalGain;
            for (int m = 0; m <= l; m++)
            {
                ref T e = ref w.Block[blockBase + l * n + m];
                e = T.MulAdd(an, g[slot + m], e);
            }
        }
    }
}
