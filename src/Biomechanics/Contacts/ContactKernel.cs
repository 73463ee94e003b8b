using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Contacts;

/// <summary>
/// The contact pass of one substep for one bundle. At a control step's first substep it finds the pairs some lane may
/// touch before the step ends (a bounding-sphere test, then the exact capsule-capsule distance within the margin plus
/// how far the two surfaces can move in that time) and holds each one's contact frame and Jacobian rows. Every substep
/// then projects the rates through the held rows, takes the distance to first order along the normal row, and applies
/// MuJoCo's normal spring-damper and soft-pyramid friction. The damper and the spring's velocity term are implicit in
/// each chain's block (as the muscles' fibre damping is), so the 2 ms step stays stable; the two chains' cross term is
/// left out (each side sees the other as fixed).
/// </summary>
internal static class ContactKernel<T> where T : unmanaged, ILane<T>
{
    /// <summary>Gap (m) beyond the margin, on top of the motion bound, within which a pair is held for the control step.</summary>
    internal const float HoldSlack = 0.002f;

    public static void Apply(HandPlant plant, StepKernel<T>.Workspace w, T dt)
    {
        CompiledContacts c = plant.Contacts;
        Array.Clear(w.ContactForce);
        if (c.PairCount == 0)
        {
            return;
        }
        HeldContacts<T> held = w.Contacts;
        if (w.FirstSubstep || held.Horizon <= 0)
        {
            Refresh(plant, c, w, dt);
        }
        AddHeldBlock(held, w.Block);
        // Three passes over the held pairs rather than one pair at a time: each pass's pairs are independent, so their
        // dependency chains (the projections' sums, the friction's square root and division) overlap.
        ProjectAll(held, w);
        ForcesAll(c, w, held, dt);
        ApplyAll(held, w);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ProjectAll(HeldContacts<T> held, StepKernel<T>.Workspace w)
    {
        for (int h = 0; h < held.Count; h++)
        {
            Project(held, h, w);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForcesAll(CompiledContacts c, StepKernel<T>.Workspace w, HeldContacts<T> held, T dt)
    {
        T margin = T.Splat(c.Margin);
        for (int h = 0; h < held.Count; h++)
        {
            Forces(c, w, held, h, dt, margin);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ApplyAll(HeldContacts<T> held, StepKernel<T>.Workspace w)
    {
        for (int h = 0; h < held.Count; h++)
        {
            if (held.Pushing[h])
            {
                ApplyForces(held, h, w.ContactForce);
            }
        }
    }

    /// <summary>Finds and holds the pairs of this control step.</summary>
    private static void Refresh(HandPlant plant, CompiledContacts c, StepKernel<T>.Workspace w, T dt)
    {
        HeldContacts<T> held = w.Contacts;
        foreach (int g in c.UsedGeoms)
        {
            int j = c.GeomJoint[g];
            int o = 6 * g;
            w.ContactEnds[2 * g] = w.Pos[j] + w.Rot[j].Transform(c.GeomEnds[o], c.GeomEnds[o + 1], c.GeomEnds[o + 2]);
            w.ContactEnds[2 * g + 1] = w.Pos[j] + w.Rot[j].Transform(c.GeomEnds[o + 3], c.GeomEnds[o + 4], c.GeomEnds[o + 5]);
        }
        bool moving = held.Horizon > 0;
        if (moving)
        {
            // Joint centres' velocities, then each capsule's fastest surface point: bounds how far a gap closes in the step.
            StepKernel<T>.JointVelocities(plant, w, held.Velocity);
            foreach (int g in c.UsedGeoms)
            {
                int j = c.GeomJoint[g];
                held.GeomSpeed[g] = T.Sqrt(Vec3<T>.Dot(held.Velocity[j], held.Velocity[j]))
                    + T.Sqrt(Vec3<T>.Dot(w.Omega[j], w.Omega[j])) * T.Splat(c.GeomSwing[g]);
            }
        }
        Array.Clear(held.Block);
        Array.Clear(held.ChainUsed);
        held.Count = 0;
        int pool = 0;
        T horizon = T.Splat(held.Horizon);
        T fixedReach = T.Splat(c.Margin + (moving ? HoldSlack : 0f));
        T half = T.Splat(0.5f);
        for (int p = 0; p < c.PairCount; p++)
        {
            int ga = c.PairA[p], gb = c.PairB[p];
            T reach = moving ? T.MulAdd(horizon, held.GeomSpeed[ga] + held.GeomSpeed[gb], fixedReach) : fixedReach;
            Vec3<T> centres = (w.ContactEnds[2 * gb] + w.ContactEnds[2 * gb + 1] - w.ContactEnds[2 * ga] - w.ContactEnds[2 * ga + 1]) * half;
            T bound = reach + T.Splat(c.GeomBound[ga] + c.GeomBound[gb]);
            if (T.AnyTrue(T.LessThan(Vec3<T>.Dot(centres, centres), bound * bound)))
            {
                T distance = Closest(c, ga, gb, w, out Vec3<T> onA, out Vec3<T> normal);
                T reached = T.LessThan(distance, reach);
                if (T.AnyTrue(reached))
                {
                    Hold(plant, c, w, p, ref pool, distance, reached, onA, normal, dt);
                }
            }
        }
    }

    /// <summary>Frame and Jacobian rows of one pair some lane may reach (kept out of line so the search loop stays small).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Hold(HandPlant plant, CompiledContacts c, StepKernel<T>.Workspace w, int p, ref int pool, T distance, T lanes, in Vec3<T> onA, in Vec3<T> normal, T dt)
    {
        HeldContacts<T> held = w.Contacts;
        int ga = c.PairA[p], gb = c.PairB[p];
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
        int sizeB = jb == 0 ? 0 : 3 * (plant.IndexInChain[jb] + 1);
        if (slotB == 0)
        {
            sizeA = sizeB = Math.Max(sizeA, sizeB);
        }
        Tangents(normal, out Vec3<T> t1, out Vec3<T> t2);
        Jacobian(plant, w, ja, point, normal, t1, t2, g, 0, negate: true);
        Jacobian(plant, w, jb, point, normal, t1, t2, g, slotB, negate: false);

        // Packed: A's slots, then B's when it has a chain of its own.
        int lengthB = slotB == 0 || jb == 0 ? 0 : sizeB;
        int length = sizeA + lengthB;
        int h = held.Count++;
        held.Pair[h] = p;
        held.Lanes[h] = lanes;
        held.Start[h] = pool;
        held.Length[h] = length;
        held.SizeA[h] = sizeA;
        held.ChainA[h] = sizeA == 0 ? -1 : chainA;
        held.ChainB[h] = lengthB == 0 ? -1 : chainB;
        Span<T> rows = held.Rows.AsSpan(3 * pool, 3 * length);
        Span<int> dofs = held.Dofs.AsSpan(pool, length);
        for (int l = 0; l < length; l++)
        {
            int from = l < sizeA ? l : slotB + l - sizeA;
            rows[3 * l] = g[from];
            rows[3 * l + 1] = g[Row + from];
            rows[3 * l + 2] = g[2 * Row + from];
            dofs[l] = l < sizeA ? c.ChainDofs[chainA][l] : c.ChainDofs[chainB][l - sizeA];
        }
        pool += length;

        Project(held, h, w);
        T speed = held.Speed[h];
        held.Offset[h] = distance - held.NormalQ[h];
        // The lanes whose damper is active now go into the held block; a later substep corrects only lanes that change.
        T k = T.Splat(c.PairStiffness[p]);
        T viscous = k * dt + T.Splat(c.PairDamping[p]);
        T force = k * (T.Splat(c.Margin) - distance) - viscous * speed;
        T active = T.Select(T.LessThan(distance, T.Splat(c.Margin)), T.GreaterThan(force, T.Zero), T.Zero);
        held.Active[h] = active;
        if (T.AnyTrue(active))
        {
            AddNormalOuter(held, h, held.Block, T.Select(active, viscous * dt, T.Zero));
        }
    }

    /// <summary>One held pair's forces this substep from its projected distance and rates (kept in its gap and rate slots).</summary>
    private static void Forces(CompiledContacts c, StepKernel<T>.Workspace w, HeldContacts<T> held, int h, T dt, T margin)
    {
        T distance = held.Offset[h] + held.NormalQ[h];
        // Only the lanes that reached the pair at the first substep: a lane's contacts must not depend on its bundle's others.
        T touching = T.Select(held.Lanes[h], T.LessThan(distance, margin), T.Zero);
        T heldActive = held.Active[h];
        held.Pushing[h] = T.AnyTrue(touching);
        if (!held.Pushing[h] && !T.AnyTrue(heldActive))
        {
            return;
        }
        int p = held.Pair[h];
        T k = T.Splat(c.PairStiffness[p]);
        T viscous = k * dt + T.Splat(c.PairDamping[p]);
        T force = k * (margin - distance) - viscous * held.Speed[h];
        T active = T.Select(touching, T.GreaterThan(force, T.Zero), T.Zero);
        force = T.Select(active, force, T.Zero);
        // Friction as MuJoCo's soft pyramid gives it: each edge's damper d·B/((1 − d)·A_edge), A_edge = (1 + mu²)·A, is a
        // viscous drag in the tangent plane, capped by the cone (mu N over the sliding speed). Explicit: the drag is at most
        // half the normal damper, whose explicit limit (2/dt over the point's mobility) it stays well inside.
        T slide1 = held.Slide1[h], slide2 = held.Slide2[h];
        T coulomb = T.Splat(c.Friction) * force / T.Sqrt(slide1 * slide1 + slide2 * slide2 + T.Splat(SlipSpeed * SlipSpeed));
        T drag = T.Min(coulomb, T.Splat(c.PairFrictionDamping[p]));
        held.NormalForce[h] = force;
        held.Slide1[h] = -drag * slide1;
        held.Slide2[h] = -drag * slide2;
        // The held block has the damper of the lanes active at the first substep; add or take out lanes that changed since.
        T gain = viscous * dt;
        T change = T.Select(active, gain, T.Zero) - T.Select(heldActive, gain, T.Zero);
        if (T.AnyTrue(T.GreaterThan(T.Abs(change), T.Zero)))
        {
            AddNormalOuter(held, h, w.Block, change);
        }
    }

    /// <summary>The held normal row times the angles, and the three rows times the rates, into the pair's slots.</summary>
    private static void Project(HeldContacts<T> held, int h, StepKernel<T>.Workspace w)
    {
        // Unchecked reads: every slot's dof comes from the plant's chains, and the rows were sized for them.
        int start = held.Start[h], length = held.Length[h];
        ref T row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(held.Rows), 3 * start);
        ref int dof = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(held.Dofs), start);
        ref T q = ref MemoryMarshal.GetArrayDataReference(w.Q);
        ref T qd = ref MemoryMarshal.GetArrayDataReference(w.Qd);
        T normalQ = T.Zero, speed = T.Zero, slide1 = T.Zero, slide2 = T.Zero;
        for (int l = 0; l < length; l++)
        {
            int d = Unsafe.Add(ref dof, l);
            T rate = Unsafe.Add(ref qd, d);
            T gn = Unsafe.Add(ref row, 3 * l);
            normalQ = T.MulAdd(gn, Unsafe.Add(ref q, d), normalQ);
            speed = T.MulAdd(gn, rate, speed);
            slide1 = T.MulAdd(Unsafe.Add(ref row, 3 * l + 1), rate, slide1);
            slide2 = T.MulAdd(Unsafe.Add(ref row, 3 * l + 2), rate, slide2);
        }
        held.NormalQ[h] = normalQ;
        held.Speed[h] = speed;
        held.Slide1[h] = slide1;
        held.Slide2[h] = slide2;
    }

    /// <summary>Adds the pair's normal force and friction (in its force slots) through its rows into the generalized forces.</summary>
    private static void ApplyForces(HeldContacts<T> held, int h, T[] target)
    {
        T normal = held.NormalForce[h], tangent1 = held.Slide1[h], tangent2 = held.Slide2[h];
        int start = held.Start[h], length = held.Length[h];
        ref T row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(held.Rows), 3 * start);
        ref int dof = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(held.Dofs), start);
        ref T force = ref MemoryMarshal.GetArrayDataReference(target);
        for (int l = 0; l < length; l++)
        {
            ref T f = ref Unsafe.Add(ref force, Unsafe.Add(ref dof, l));
            f = T.MulAdd(Unsafe.Add(ref row, 3 * l), normal, T.MulAdd(Unsafe.Add(ref row, 3 * l + 1), tangent1, T.MulAdd(Unsafe.Add(ref row, 3 * l + 2), tangent2, f)));
        }
    }

    /// <summary>Adds gain · Gn Gnᵀ (lower triangle) into each of the pair's chain blocks.</summary>
    private static void AddNormalOuter(HeldContacts<T> held, int h, T[] block, T gain)
    {
        int start = held.Start[h], length = held.Length[h], sizeA = held.SizeA[h];
        ReadOnlySpan<T> rows = held.Rows.AsSpan(3 * start, 3 * length);
        if (held.ChainA[h] >= 0)
        {
            AddOuter(rows[..(3 * sizeA)], block, held.ChainA[h], gain);
            held.ChainUsed[held.ChainA[h]] = true;
        }
        if (held.ChainB[h] >= 0)
        {
            AddOuter(rows[(3 * sizeA)..], block, held.ChainB[h], gain);
            held.ChainUsed[held.ChainB[h]] = true;
        }
    }

    /// <summary>gain · Gn Gnᵀ into one chain's block, Gn being every third entry of <paramref name="rows"/>.</summary>
    private static void AddOuter(ReadOnlySpan<T> rows, T[] block, int chain, T gain)
    {
        const int n = HandPlant.MaxChainDofs;
        Span<T> b = block.AsSpan(chain * n * n, n * n);
        int size = rows.Length / 3;
        for (int l = 0; l < size; l++)
        {
            T a = rows[3 * l] * gain;
            Span<T> row = b.Slice(l * n, l + 1);
            for (int m = 0; m < row.Length; m++)
            {
                row[m] = T.MulAdd(a, rows[3 * m], row[m]);
            }
        }
    }

    /// <summary>Adds the held pairs' implicit dampers into this substep's chain blocks.</summary>
    private static void AddHeldBlock(HeldContacts<T> held, T[] block)
    {
        const int n = HandPlant.MaxChainDofs;
        for (int chain = 0; chain < held.ChainUsed.Length; chain++)
        {
            if (!held.ChainUsed[chain])
            {
                continue;
            }
            Span<T> target = block.AsSpan(chain * n * n, n * n);
            ReadOnlySpan<T> source = held.Block.AsSpan(chain * n * n, n * n);
            for (int e = 0; e < target.Length; e++)
            {
                target[e] += source[e];
            }
        }
    }

    /// <summary>Slots per Jacobian row in <c>Workspace.ContactG</c> (two chains of 9 dofs).</summary>
    private const int Row = 2 * HandPlant.MaxChainDofs;

    /// <summary>Regularises the cone's mu N / |v_t| at rest (m/s).</summary>
    internal const float SlipSpeed = 1e-3f;

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
}
