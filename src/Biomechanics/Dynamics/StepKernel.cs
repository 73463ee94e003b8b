using System.Runtime.CompilerServices;
using MsMano.Biomechanics.Contacts;
using MsMano.Biomechanics.Muscles;
using MsMano.Biomechanics.Muscles.Wrapping;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Dynamics;

/// <summary>
/// One physics substep for one bundle of agents, written once for any lane width.
///
/// Method: reduced coordinates (three Euler angles per joint, i.e. three hinges), recursive Newton-Euler for the
/// bias forces (Coriolis, centrifugal and gravity as a base acceleration), the composite-rigid-body algorithm for
/// the joint-space inertia. With the root fixed, MANO's tree splits into independent finger chains, so the
/// inertia is block diagonal with 9x9 blocks that an LDL^T factorisation solves exactly. Everything stiff is
/// implicit in velocity (semi-implicit Euler): joint damping, armature, soft limits, PD drives and the fibre
/// velocity term of every muscle (its G G^T outer product lands in the same 9x9 block), so the step stays stable
/// with strong muscles at a 2 ms step. No allocation: all scratch lives in a caller-owned workspace.
/// </summary>
internal static class StepKernel<T> where T : unmanaged, ILane<T>
{
    /// <summary>Scratch for one bundle; sized once per batch.</summary>
    internal sealed class Workspace
    {
        public readonly Mat3<T>[] Rot;
        public readonly Vec3<T>[] Pos;
        /// <summary>Each joint centre from its parent's, in the world (kinematics hands it to the velocity pass).</summary>
        public readonly Vec3<T>[] Arm;
        public readonly Vec3<T>[] Axis;
        public readonly Vec3<T>[] Omega;
        public readonly Vec3<T>[] Alpha;
        public readonly Vec3<T>[] Acc;
        public readonly Vec3<T>[] Force;
        public readonly Vec3<T>[] Moment;
        public readonly Vec3<T>[] CCom;
        public readonly T[] CMass;
        public readonly Sym3<T>[] CInertia;
        public readonly T[] Q;
        public readonly T[] Qd;
        public readonly T[] Bias;
        public readonly T[] Rhs;
        public readonly T[] Diag;
        public readonly T[] MuscleForce;
        public readonly T[] PdForce;
        public readonly T[] FeedForward;
        public readonly T[] Block;
        public readonly T[] G;
        public readonly T[] X;
        public readonly Vec3<T>[] Points;

        /// <summary>
        /// False on the substeps after a control step's first: wraps then reuse the tangent points last solved, held
        /// in the wrap's frame, instead of solving again (a substep with the solve costs about 1.3x one without), and
        /// contacts reuse the pairs, frames and Jacobian rows found at the first (see <see cref="HeldContacts{T}"/>).
        /// Diagnostics keep true.
        /// </summary>
        public bool FirstSubstep = true;

        /// <summary>Tangent points of every moving wrap in its body's frame, two per wrap, from the last solve.</summary>
        public readonly Vec3<T>[] WrapLocal;

        /// <summary>
        /// Length of every moving wrap's rigid part from the last solve: the arc, plus the anchored end's straight piece;
        /// 0 where a lane did not wrap.
        /// </summary>
        public readonly T[] WrapFixed;

        /// <summary>Lanes in which each moving wrap engaged at the last solve (an inside wrap's rigid part can be 0).</summary>
        public readonly T[] WrapOn;

        /// <summary>Index of each muscle's first wrap in <see cref="WrapFixed"/>.</summary>
        public readonly int[] WrapBase;

        /// <summary>World axis ends of every contact capsule this substep, two per capsule.</summary>
        public readonly Vec3<T>[] ContactEnds;
        /// <summary>Generalized contact force per dof this substep.</summary>
        public readonly T[] ContactForce;
        /// <summary>Per dof this substep: the limit row's inertia (0 where none pushes), its aref/R, and +1 below or −1 above.</summary>
        public readonly T[] LimitInertia;
        public readonly T[] LimitPush;
        public readonly T[] LimitSign;
        /// <summary>Scratch of the limit release: released slots' inertia and push, their solved columns, the k x k system.</summary>
        public readonly T[] ReleaseInertia;
        public readonly T[] ReleasePush;
        public readonly T[] ReleaseColumns;
        public readonly T[] ReleaseSystem;
        public readonly T[] ReleaseY;
        /// <summary>
        /// One pair's Jacobian rows (normal, then the two tangents, 18 slots each), chain-local: slots 0-8 body A's chain,
        /// 9-17 body B's (or both in 0-8).
        /// </summary>
        public readonly T[] ContactG;

        /// <summary>The contact pairs held for this bundle's control step.</summary>
        public readonly HeldContacts<T> Contacts;

        public Workspace(HandPlant plant)
        {
            int j = plant.JointCount;
            int d = plant.DofCount;
            Rot = new Mat3<T>[j];
            Pos = new Vec3<T>[j];
            Arm = new Vec3<T>[j];
            Axis = new Vec3<T>[d];
            Omega = new Vec3<T>[j];
            Alpha = new Vec3<T>[j];
            Acc = new Vec3<T>[j];
            Force = new Vec3<T>[j];
            Moment = new Vec3<T>[j];
            CCom = new Vec3<T>[j];
            CMass = new T[j];
            CInertia = new Sym3<T>[j];
            Q = new T[d];
            Qd = new T[d];
            Bias = new T[d];
            Rhs = new T[d];
            Diag = new T[d];
            MuscleForce = new T[d];
            PdForce = new T[d];
            FeedForward = new T[d];
            Block = new T[plant.Chains.Length * HandPlant.MaxChainDofs * HandPlant.MaxChainDofs];
            G = new T[HandPlant.MaxChainDofs];
            X = new T[HandPlant.MaxChainDofs];
            int maxPoints = plant.Muscles.Length == 0 ? 1 : plant.Muscles.Max(m => m.PointCount);
            Points = new Vec3<T>[Math.Max(1, maxPoints)];
            WrapBase = new int[plant.Muscles.Length];
            int wraps = 0;
            for (int mi = 0; mi < plant.Muscles.Length; mi++)
            {
                WrapBase[mi] = wraps;
                wraps += plant.Muscles[mi].WrapJoint.Length;
            }
            WrapLocal = new Vec3<T>[Math.Max(1, 2 * wraps)];
            WrapFixed = new T[Math.Max(1, wraps)];
            WrapOn = new T[Math.Max(1, wraps)];
            // Null while the plant itself is being compiled (its contact softness needs a workspace).
            ContactEnds = new Vec3<T>[Math.Max(1, 2 * (plant.Contacts?.GeomCount ?? 0))];
            ContactForce = new T[d];
            LimitInertia = new T[d];
            LimitPush = new T[d];
            LimitSign = new T[d];
            ReleaseInertia = new T[HandPlant.MaxChainDofs];
            ReleasePush = new T[HandPlant.MaxChainDofs];
            ReleaseColumns = new T[HandPlant.MaxChainDofs * HandPlant.MaxChainDofs];
            ReleaseSystem = new T[HandPlant.MaxChainDofs * HandPlant.MaxChainDofs];
            ReleaseY = new T[HandPlant.MaxChainDofs];
            ContactG = new T[3 * 2 * HandPlant.MaxChainDofs];
            Contacts = new HeldContacts<T>(plant, plant.Contacts?.PairCount ?? 0, plant.Contacts?.GeomCount ?? 0);
        }
    }

    /// <summary>
    /// Advances one bundle (lanes starting at agent <paramref name="offset"/>) by one substep, in place.
    /// Accumulates the applied muscle and PD generalized forces into the output sums.
    /// </summary>
    public static void Substep(HandPlant plant, HandBatchState s, int offset, Workspace w, float dt)
    {
        int stride = s.Stride;
        int dofs = plant.DofCount;
        for (int d = 0; d < dofs; d++)
        {
            w.Q[d] = T.Load(s.Q, d * stride + offset);
            w.Qd[d] = T.Load(s.Qd, d * stride + offset);
        }

        ForwardKinematics(plant, w);
        BiasForces(plant, w);
        CompositeInertia(plant, w);
        MassMatrix(plant, w);
        if (s.PdEnabled && s.PdInverseDynamics)
        {
            // Before Muscles(): the block must still be the bare joint-space inertia.
            InertiaTimesReferenceAcceleration(plant, s, offset, w);
        }

        T tdt = T.Splat(dt);
        for (int d = 0; d < dofs; d++)
        {
            w.MuscleForce[d] = T.Zero;
        }
        Muscles(plant, s, offset, w, tdt);
        ContactKernel<T>.Apply(plant, w, tdt);
        AssembleAndSolve(plant, s, offset, w, dt);
    }

    internal static void ForwardKinematics(HandPlant plant, Workspace w)
    {
        float[] f = plant.Frame;
        w.Rot[0] = Mat3<T>.Identity;
        w.Pos[0] = Vec3<T>.Splat(plant.RootPosition[0], plant.RootPosition[1], plant.RootPosition[2]);
        w.Omega[0] = Vec3<T>.Zero;
        w.Alpha[0] = Vec3<T>.Zero;
        // Gravity enters as an upward acceleration of the fixed base: every body then feels -m g.
        w.Acc[0] = Vec3<T>.Splat(-plant.Gravity[0], -plant.Gravity[1], -plant.Gravity[2]);

        for (int j = 1; j < plant.JointCount; j++)
        {
            int p = plant.Parent[j];
            ref readonly Mat3<T> rp = ref w.Rot[p];
            Vec3<T> r = rp.Transform(plant.ParentOffset[3 * j], plant.ParentOffset[3 * j + 1], plant.ParentOffset[3 * j + 2]);
            w.Arm[j] = r;
            w.Pos[j] = w.Pos[p] + r;

            int fo = 9 * j;
            // B = Rot_parent * A_j, then the three Euler hinges x, y, z in turn.
            Vec3<T> b0 = rp.Transform(f[fo], f[fo + 1], f[fo + 2]);
            Vec3<T> b1 = rp.Transform(f[fo + 3], f[fo + 4], f[fo + 5]);
            Vec3<T> b2 = rp.Transform(f[fo + 6], f[fo + 7], f[fo + 8]);
            int d0 = 3 * (j - 1);
            w.Axis[d0] = b0;
            T.SinCos(w.Q[d0], out T s0, out T c0);
            Vec3<T> b1x = b1 * c0 + b2 * s0;
            Vec3<T> b2x = b2 * c0 - b1 * s0;
            T.SinCos(w.Q[d0 + 1], out T s1, out T c1);
            Vec3<T> b0y, b1y, b2y;
            // A skewed hinge (x ≠ 0: the thumb CMC, the index MCP) takes the general rotation.
            if (plant.AbductionAxis[2 * j] != 0)
            {
                Skewed(plant.AbductionAxis[2 * j], plant.AbductionAxis[2 * j + 1], b0, b1x, b2x, s1, c1, out w.Axis[d0 + 1], out b0y, out b1y, out b2y);
            }
            else
            {
                b0y = b0 * c1 - b2x * s1;
                b1y = b1x;
                b2y = b0 * s1 + b2x * c1;
                w.Axis[d0 + 1] = b1x;
            }
            w.Axis[d0 + 2] = b2y;
            T.SinCos(w.Q[d0 + 2], out T s2, out T c2);
            Vec3<T> b0z = b0y * c2 + b1y * s2;
            Vec3<T> b1z = b1y * c2 - b0y * s2;
            // Rot_j = B3 * A_j^T: column m is sum_k B3.Ck * A_j[m][k].
            w.Rot[j] = new Mat3<T>
            {
                C0 = b0z * T.Splat(f[fo]) + b1z * T.Splat(f[fo + 3]) + b2y * T.Splat(f[fo + 6]),
                C1 = b0z * T.Splat(f[fo + 1]) + b1z * T.Splat(f[fo + 4]) + b2y * T.Splat(f[fo + 7]),
                C2 = b0z * T.Splat(f[fo + 2]) + b1z * T.Splat(f[fo + 5]) + b2y * T.Splat(f[fo + 8]),
            };
        }
        Motion(plant, w);
    }

    /// <summary>
    /// The hinge ux·b0 + uy·b1 and the basis (b0, b1, b2) turned about it by angle (sin s, cos c) (Rodrigues in the basis'
    /// own coordinates): the abduction of a joint whose two hinges are not perpendicular.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // Two joints take it; inlined, it cost the placement loop its inlining budget (-13 %).
    private static void Skewed(float ux, float uy, in Vec3<T> b0, in Vec3<T> b1, in Vec3<T> b2, T s, T c, out Vec3<T> hinge, out Vec3<T> r0, out Vec3<T> r1, out Vec3<T> r2)
    {
        hinge = b0 * T.Splat(ux) + b1 * T.Splat(uy);
        T versine = T.Splat(1f) - c;
        T xx = versine * T.Splat(ux * ux), xy = versine * T.Splat(ux * uy), yy = versine * T.Splat(uy * uy);
        T sx = s * T.Splat(ux), sy = s * T.Splat(uy);
        r0 = b0 * (c + xx) + b1 * xy - b2 * sy;
        r1 = b0 * xy + b1 * (c + yy) + b2 * sx;
        r2 = b0 * sy - b1 * sx + b2 * c;
    }

    /// <summary>
    /// Angular velocity, and the velocity-product accelerations with gravity, of every body from the hinge axes just
    /// placed (a method of its own: inside the placement loop the JIT ran out of inlining budget for the vector helpers).
    /// </summary>
    private static void Motion(HandPlant plant, Workspace w)
    {
        for (int j = 1; j < plant.JointCount; j++)
        {
            int p = plant.Parent[j];
            int d0 = 3 * (j - 1);
            Vec3<T> b0 = w.Axis[d0], b1x = w.Axis[d0 + 1], b2y = w.Axis[d0 + 2];
            Vec3<T> r = w.Arm[j];
            Vec3<T> wp = w.Omega[p];
            var wa = Vec3<T>.MulAdd(b0, w.Qd[d0], wp);
            var wb = Vec3<T>.MulAdd(b1x, w.Qd[d0 + 1], wa);
            w.Omega[j] = Vec3<T>.MulAdd(b2y, w.Qd[d0 + 2], wb);
            // Each hinge axis rotates with the frame that carries it.
            Vec3<T> alpha = w.Alpha[p];
            alpha = Vec3<T>.MulAdd(Vec3<T>.Cross(wp, b0), w.Qd[d0], alpha);
            alpha = Vec3<T>.MulAdd(Vec3<T>.Cross(wa, b1x), w.Qd[d0 + 1], alpha);
            alpha = Vec3<T>.MulAdd(Vec3<T>.Cross(wb, b2y), w.Qd[d0 + 2], alpha);
            w.Alpha[j] = alpha;
            w.Acc[j] = w.Acc[p] + Vec3<T>.Cross(w.Alpha[p], r) + Vec3<T>.Cross(wp, Vec3<T>.Cross(wp, r));
        }
    }

    /// <summary>Kinematics only: joint frames of one bundle (for keypoints and diagnostics).</summary>
    public static void Kinematics(HandPlant plant, HandBatchState s, int offset, Workspace w)
    {
        for (int d = 0; d < plant.DofCount; d++)
        {
            w.Q[d] = T.Load(s.Q, d * s.Stride + offset);
            w.Qd[d] = T.Load(s.Qd, d * s.Stride + offset);
        }
        ForwardKinematics(plant, w);
    }

    /// <summary>Linear velocity of every joint centre (the root is fixed), propagated like the positions.</summary>
    internal static void JointVelocities(HandPlant plant, Workspace w, Span<Vec3<T>> velocity)
    {
        velocity[0] = Vec3<T>.Zero;
        for (int j = 1; j < plant.JointCount; j++)
        {
            int p = plant.Parent[j];
            velocity[j] = velocity[p] + Vec3<T>.Cross(w.Omega[p], w.Pos[j] - w.Pos[p]);
        }
    }

    /// <summary>
    /// Mechanical energy of one bundle: kinetic (bodies plus armature) and potential (gravity plus the soft-limit
    /// springs), for conservation checks.
    /// </summary>
    public static void Energy(HandPlant plant, HandBatchState s, int offset, Workspace w, out T kinetic, out T potential)
    {
        Kinematics(plant, s, offset, w);
        T half = T.Splat(0.5f);
        kinetic = T.Zero;
        potential = T.Zero;
        var g = Vec3<T>.Splat(plant.Gravity[0], plant.Gravity[1], plant.Gravity[2]);
        Span<Vec3<T>> vel = new Vec3<T>[plant.JointCount];
        JointVelocities(plant, w, vel);
        for (int j = 1; j < plant.JointCount; j++)
        {
            Vec3<T> rc = w.Rot[j].Transform(plant.CenterOfMass[3 * j], plant.CenterOfMass[3 * j + 1], plant.CenterOfMass[3 * j + 2]);
            Vec3<T> vc = vel[j] + Vec3<T>.Cross(w.Omega[j], rc);
            var iw = Sym3<T>.Rotate(w.Rot[j], plant.Inertia, 6 * j);
            T m = T.Splat(plant.Mass[j]);
            kinetic += half * (m * Vec3<T>.Dot(vc, vc) + Vec3<T>.Dot(w.Omega[j], iw.Transform(w.Omega[j])));
            potential -= m * Vec3<T>.Dot(g, w.Pos[j] + rc);
        }
        for (int d = 0; d < plant.DofCount; d++)
        {
            T k = T.Splat(plant.LimitK[d]);
            kinetic += half * T.Splat(plant.Armature[d]) * w.Qd[d] * w.Qd[d];
            T over = T.Max(w.Q[d] - T.Splat(plant.Upper[d]), T.Zero);
            T under = T.Min(w.Q[d] - T.Splat(plant.Lower[d]), T.Zero);
            potential += half * k * (over * over + under * under);
        }
    }

    internal static void BiasForces(HandPlant plant, Workspace w)
    {
        for (int j = 1; j < plant.JointCount; j++)
        {
            Mat3<T> rot = w.Rot[j];
            Vec3<T> rc = rot.Transform(plant.CenterOfMass[3 * j], plant.CenterOfMass[3 * j + 1], plant.CenterOfMass[3 * j + 2]);
            var iw = Sym3<T>.Rotate(rot, plant.Inertia, 6 * j);
            Vec3<T> om = w.Omega[j];
            Vec3<T> ac = w.Acc[j] + Vec3<T>.Cross(w.Alpha[j], rc) + Vec3<T>.Cross(om, Vec3<T>.Cross(om, rc));
            T m = T.Splat(plant.Mass[j]);
            Vec3<T> force = ac * m;
            Vec3<T> moment = iw.Transform(w.Alpha[j]) + Vec3<T>.Cross(om, iw.Transform(om));
            w.Force[j] = force;
            w.Moment[j] = moment + Vec3<T>.Cross(rc, force);
            // Seed the composite inertia with the body itself (about its own CoM).
            w.CMass[j] = m;
            w.CCom[j] = w.Pos[j] + rc;
            w.CInertia[j] = iw;
        }
        for (int j = plant.JointCount - 1; j >= 1; j--)
        {
            int d0 = 3 * (j - 1);
            Vec3<T> mj = w.Moment[j];
            w.Bias[d0] = Vec3<T>.Dot(w.Axis[d0], mj);
            w.Bias[d0 + 1] = Vec3<T>.Dot(w.Axis[d0 + 1], mj);
            w.Bias[d0 + 2] = Vec3<T>.Dot(w.Axis[d0 + 2], mj);
            int p = plant.Parent[j];
            if (p > 0)
            {
                w.Force[p] = w.Force[p] + w.Force[j];
                w.Moment[p] = w.Moment[p] + mj + Vec3<T>.Cross(w.Pos[j] - w.Pos[p], w.Force[j]);
            }
        }
    }

    internal static void CompositeInertia(HandPlant plant, Workspace w)
    {
        for (int j = plant.JointCount - 1; j >= 1; j--)
        {
            int p = plant.Parent[j];
            if (p <= 0)
            {
                continue;
            }
            T m1 = w.CMass[p];
            T m2 = w.CMass[j];
            T m = m1 + m2;
            T inv = T.One / m;
            Vec3<T> c = (w.CCom[p] * m1 + w.CCom[j] * m2) * inv;
            Sym3<T> i = w.CInertia[p] + w.CInertia[j];
            i = Sym3<T>.AddParallelAxis(i, m1, w.CCom[p] - c);
            i = Sym3<T>.AddParallelAxis(i, m2, w.CCom[j] - c);
            w.CMass[p] = m;
            w.CCom[p] = c;
            w.CInertia[p] = i;
        }
    }

    internal static void MassMatrix(HandPlant plant, Workspace w)
    {
        const int n = HandPlant.MaxChainDofs;
        for (int c = 0; c < plant.Chains.Length; c++)
        {
            int[] chain = plant.Chains[c];
            int blockBase = c * n * n;
            for (int jk = 0; jk < chain.Length; jk++)
            {
                int j = chain[jk];
                T mC = w.CMass[j];
                Vec3<T> cC = w.CCom[j];
                Sym3<T> iC = w.CInertia[j];
                Vec3<T> rj = cC - w.Pos[j];
                for (int k = 0; k < 3; k++)
                {
                    int dk = 3 * (j - 1) + k;
                    int lk = 3 * jk + k;
                    Vec3<T> s = w.Axis[dk];
                    Vec3<T> a = iC.Transform(s);
                    Vec3<T> l = Vec3<T>.Cross(s, rj) * mC;
                    for (int ik = 0; ik <= jk; ik++)
                    {
                        int i = chain[ik];
                        Vec3<T> h = a + Vec3<T>.Cross(cC - w.Pos[i], l);
                        int lastAxis = ik == jk ? k : 2;
                        for (int m = 0; m <= lastAxis; m++)
                        {
                            int dl = 3 * (i - 1) + m;
                            int ll = 3 * ik + m;
                            // Lower triangle, row = later dof.
                            w.Block[blockBase + lk * n + ll] = Vec3<T>.Dot(w.Axis[dl], h);
                        }
                    }
                }
            }
        }
    }

    private static void Muscles(HandPlant plant, HandBatchState s, int offset, Workspace w, T dt)
    {
        const int n = HandPlant.MaxChainDofs;
        int stride = s.Stride;
        bool apply = s.MusclesApplied;
        T half = T.Splat(0.5f);
        T one = T.One;
        for (int mi = 0; mi < plant.Muscles.Length; mi++)
        {
            CompiledMuscle m = plant.Muscles[mi];
            int nd = m.Dofs.Length;
            if (nd == 0)
            {
                continue;
            }
            T length = PathGeometry(m, mi, w);
            // Lengthening rate: power balance T * G . qd = -T * ldot.
            T ldot = T.Zero;
            for (int k = 0; k < nd; k++)
            {
                ldot = T.MulAdd(w.G[k], w.Qd[m.Dofs[k]], ldot);
            }
            ldot = -ldot;

            T act = T.Load(s.Activation, mi * stride + offset);
            T u0 = T.Min(T.Max(T.Load(s.Excitation, mi * stride + offset), T.Zero), one);
            T l0 = T.Splat(m.L0);
            T lNorm = (length - T.Splat(m.TendonLength)) / l0;
            T vNorm = ldot / (l0 * T.Splat(m.VMax));
            T fl = MuscleCurves<T>.ActiveForceLength(lNorm, m.LMin, m.LMax);
            MuscleCurves<T>.ForceVelocity(vNorm, m.FvMax, out T fv, out T dfv);
            T fp = MuscleCurves<T>.PassiveForce(lNorm, m.LMax, m.FpMax);
            T actC = T.Min(T.Max(act, T.Zero), one);
            T f0 = T.Splat(m.F0);
            T tension = T.Max(f0 * (actC * fl * fv + fp), T.Zero);
            T.Store(tension, s.Tension, mi * stride + offset);

            // Activation dynamics (MuJoCo/Millard time constants), integrated exactly over the substep.
            T tauAct = T.Splat(m.TauActivation) * (half + T.Splat(1.5f) * actC);
            T tauDeact = T.Splat(m.TauDeactivation) / (half + T.Splat(1.5f) * actC);
            T tau = T.Select(T.GreaterThan(u0, act), tauAct, tauDeact);
            T nextAct = u0 + (act - u0) * T.Exp(-(dt / tau));
            T.Store(nextAct, s.Activation, mi * stride + offset);

            for (int k = 0; k < nd; k++)
            {
                int d = m.Dofs[k];
                w.MuscleForce[d] = T.MulAdd(w.G[k], tension, w.MuscleForce[d]);
            }
            if (apply)
            {
                // Implicit fibre-velocity damping: dT/dldot * G G^T enters the chain block scaled by dt.
                T damping = f0 * actC * fl * dfv / (l0 * T.Splat(m.VMax)) * dt;
                Span<T> block = w.Block.AsSpan(m.Chain * n * n, n * n);
                ReadOnlySpan<int> slots = m.BlockSlots;
                int slot = 0;
                for (int a = 0; a < nd; a++)
                {
                    T ga = w.G[a] * damping;
                    for (int b = 0; b <= a; b++)
                    {
                        ref T e = ref block[slots[slot++]];
                        e = T.MulAdd(ga, w.G[b], e);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Path length of one muscle and, in <c>w.G</c> (one slot per entry of <c>m.Dofs</c>), its moment arms: the
    /// generalized force per newton of tension, paper Eq. 1 projected on each crossed joint's current hinge axes.
    /// </summary>
    internal static T PathGeometry(CompiledMuscle m, int muscle, Workspace w)
    {
        T one = T.One;
        for (int k = 0; k < m.Dofs.Length; k++)
        {
            w.G[k] = T.Zero;
        }
        for (int pi = 0; pi < m.PointJoint.Length; pi++)
        {
            int j = m.PointJoint[pi];
            w.Points[pi] = w.Pos[j] + w.Rot[j].Transform(m.PointOffset[3 * pi], m.PointOffset[3 * pi + 1], m.PointOffset[3 * pi + 2]);
        }
        if (m.WrapJoint.Length > 0)
        {
            if (w.FirstSubstep)
            {
                SolveWraps(m, muscle, w);
            }
            else
            {
                FollowWraps(m, muscle, w);
            }
        }
        T length = T.Splat(m.FixedLength);
        int wrapBase = w.WrapBase[muscle];
        for (int wi = 0; wi < m.WrapJoint.Length; wi++)
        {
            length += w.WrapFixed[wrapBase + wi];
        }
        for (int sg = 0; sg < m.SegmentA.Length; sg++)
        {
            Vec3<T> pa = w.Points[m.SegmentA[sg]];
            Vec3<T> pb = w.Points[m.SegmentB[sg]];
            Vec3<T> dv = pa - pb;
            T len = T.Sqrt(Vec3<T>.Dot(dv, dv));
            length += len;
            Vec3<T> u = dv * (one / T.Max(len, T.Splat(1e-9f)));
            for (int ci = m.CrossingStart[sg]; ci < m.CrossingStart[sg + 1]; ci++)
            {
                int j = m.CrossingJoint[ci];
                // Paper Eq. 1: torque of the segment tension about the crossed joint's centre.
                Vec3<T> torque = m.CrossingOnB[ci]
                    ? Vec3<T>.Cross(pb - w.Pos[j], u)
                    : Vec3<T>.Cross(pa - w.Pos[j], -u);
                int slot = m.CrossingSlot[ci];
                int d0 = 3 * (j - 1);
                w.G[slot] += Vec3<T>.Dot(w.Axis[d0], torque);
                w.G[slot + 1] += Vec3<T>.Dot(w.Axis[d0 + 1], torque);
                w.G[slot + 2] += Vec3<T>.Dot(w.Axis[d0 + 2], torque);
            }
        }
        return length;
    }

    /// <summary>
    /// Solves every moving wrap of one muscle in its body's frame (once per control step) and keeps the tangent points
    /// there, with the length of the rigid part. A wrapped segment becomes end, tangent point, arc, tangent point, end;
    /// the tangent points ride on the wrap's frame, so the segment loop gives each crossed joint its moment arm. A lane
    /// that does not wrap keeps the straight segment: an anchored wrap's moving point sits on the anchored end (zero
    /// rigid length), an unanchored one's two points on the segment's midpoint (equal and opposite half-segments).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SolveWraps(CompiledMuscle m, int muscle, Workspace w)
    {
        int tangents = m.PointJoint.Length;
        int wrapBase = w.WrapBase[muscle];
        for (int wi = 0; wi < m.WrapJoint.Length; wi++)
        {
            int j = m.WrapJoint[wi];
            ref readonly Mat3<T> rot = ref w.Rot[j];
            ref readonly Vec3<T> pos = ref w.Pos[j];
            int slot = wrapBase + wi;
            int t0i = tangents + 2 * wi;
            int o = 3 * wi;
            WrapAnchor anchor = m.WrapAnchorEnd[wi];
            var end = Vec3<T>.Splat(m.WrapAnchorOffset[o], m.WrapAnchorOffset[o + 1], m.WrapAnchorOffset[o + 2]);
            Vec3<T> pa = anchor == WrapAnchor.A ? end : rot.TransposeTransform(w.Points[m.WrapA[wi]] - pos);
            Vec3<T> pb = anchor == WrapAnchor.B ? end : rot.TransposeTransform(w.Points[m.WrapB[wi]] - pos);
            T arc = WrapKernel<T>.Solve(m.WrapShapes[wi], pa, pb, out Vec3<T> t0, out Vec3<T> t1, out T valid);
            ref Vec3<T> lt0 = ref w.WrapLocal[2 * slot];
            ref Vec3<T> lt1 = ref w.WrapLocal[2 * slot + 1];
            switch (anchor)
            {
                case WrapAnchor.A:
                    lt1 = Blend(valid, t1, pa);
                    w.WrapFixed[slot] = T.Select(valid, arc + Norm(t0 - pa), T.Zero);
                    w.Points[t0i + 1] = pos + rot.Transform(lt1);
                    break;
                case WrapAnchor.B:
                    lt0 = Blend(valid, t0, pb);
                    w.WrapFixed[slot] = T.Select(valid, arc + Norm(pb - t1), T.Zero);
                    w.Points[t0i] = pos + rot.Transform(lt0);
                    break;
                default:
                    lt0 = t0;
                    lt1 = t1;
                    w.WrapFixed[slot] = arc;
                    w.WrapOn[slot] = valid;
                    Vec3<T> mid = (w.Points[m.WrapA[wi]] + w.Points[m.WrapB[wi]]) * T.Splat(0.5f);
                    w.Points[t0i] = Blend(valid, pos + rot.Transform(lt0), mid);
                    w.Points[t0i + 1] = Blend(valid, pos + rot.Transform(lt1), mid);
                    break;
            }
        }
    }

    /// <summary>The substeps between wrap solves: the tangent points follow their bodies.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FollowWraps(CompiledMuscle m, int muscle, Workspace w)
    {
        int tangents = m.PointJoint.Length;
        int wrapBase = w.WrapBase[muscle];
        for (int wi = 0; wi < m.WrapJoint.Length; wi++)
        {
            int j = m.WrapJoint[wi];
            ref readonly Mat3<T> rot = ref w.Rot[j];
            ref readonly Vec3<T> pos = ref w.Pos[j];
            int slot = wrapBase + wi;
            int t0i = tangents + 2 * wi;
            switch (m.WrapAnchorEnd[wi])
            {
                case WrapAnchor.A:
                    w.Points[t0i + 1] = pos + rot.Transform(w.WrapLocal[2 * slot + 1]);
                    break;
                case WrapAnchor.B:
                    w.Points[t0i] = pos + rot.Transform(w.WrapLocal[2 * slot]);
                    break;
                default:
                    T wrapped = w.WrapOn[slot];
                    Vec3<T> mid = (w.Points[m.WrapA[wi]] + w.Points[m.WrapB[wi]]) * T.Splat(0.5f);
                    w.Points[t0i] = Blend(wrapped, pos + rot.Transform(w.WrapLocal[2 * slot]), mid);
                    w.Points[t0i + 1] = Blend(wrapped, pos + rot.Transform(w.WrapLocal[2 * slot + 1]), mid);
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Norm(in Vec3<T> v) => T.Sqrt(Vec3<T>.Dot(v, v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vec3<T> Blend(T mask, in Vec3<T> a, in Vec3<T> b) =>
        new(T.Select(mask, a.X, b.X), T.Select(mask, a.Y, b.Y), T.Select(mask, a.Z, b.Z));

    /// <summary>FeedForward = (M + armature) qdd_ref per chain, from the lower triangle of each 9x9 block.</summary>
    internal static void InertiaTimesReferenceAcceleration(HandPlant plant, HandBatchState s, int offset, Workspace w)
    {
        const int n = HandPlant.MaxChainDofs;
        int stride = s.Stride;
        Span<T> x = w.X.AsSpan();
        for (int c = 0; c < plant.Chains.Length; c++)
        {
            int[] chain = plant.Chains[c];
            int size = 3 * chain.Length;
            int blockBase = c * n * n;
            for (int l = 0; l < size; l++)
            {
                int d = 3 * (chain[l / 3] - 1) + l % 3;
                x[l] = T.Load(s.PdTargetAcceleration, d * stride + offset);
            }
            for (int r = 0; r < size; r++)
            {
                int d = 3 * (chain[r / 3] - 1) + r % 3;
                T sum = T.Splat(plant.Armature[d]) * x[r];
                for (int k = 0; k < size; k++)
                {
                    int row = Math.Max(r, k);
                    int col = Math.Min(r, k);
                    sum = T.MulAdd(w.Block[blockBase + row * n + col], x[k], sum);
                }
                w.FeedForward[d] = sum;
            }
        }
    }

    private static void AssembleAndSolve(HandPlant plant, HandBatchState s, int offset, Workspace w, float dtf)
    {
        const int n = HandPlant.MaxChainDofs;
        int stride = s.Stride;
        T dt = T.Splat(dtf);
        T dt2 = T.Splat(dtf * dtf);
        bool muscles = s.MusclesApplied;
        bool pd = s.PdEnabled;
        bool inverseDynamics = pd && s.PdInverseDynamics;
        Span<bool> limited = stackalloc bool[plant.Chains.Length];
        for (int d = 0; d < plant.DofCount; d++)
        {
            T q = w.Q[d];
            T qd = w.Qd[d];
            T upper = T.Splat(plant.Upper[d]);
            T lower = T.Splat(plant.Lower[d]);
            T above = T.GreaterThan(q, upper);
            T below = T.LessThan(q, lower);
            T violation = T.Select(above, q - upper, T.Select(below, q - lower, T.Zero));
            T active = T.Select(above, T.One, T.Select(below, T.One, T.Zero));
            T k = T.Splat(plant.LimitK[d]) * active;
            T b = T.Splat(plant.LimitB[d]) * active;
            T damping = T.Splat(plant.Damping[d]);

            T diag = T.Splat(plant.Armature[d]) + dt * damping;
            T rhs = T.Load(s.ExternalForce, d * stride + offset) + w.ContactForce[d] - w.Bias[d] - damping * qd;
            if (plant.Locked[d])
            {
                // An axis MyoHand lacks, held at 0 by an implicit spring-damper (there is no such dof in MuJoCo to match).
                diag += dt * b + dt2 * k;
                rhs -= k * (violation + dt * qd) + b * qd;
                w.LimitInertia[d] = T.Zero;
            }
            else
            {
                // MuJoCo's limit row: f = (aref − a)/R, so aref/R (the spring-damper) on the right and 1/R as inertia on the
                // diagonal while it pushes. Solved with the chain; a lane whose row would pull is released below.
                T inertia = T.Splat(plant.LimitInertia[d]) * active;
                T push = -(k * violation) - b * qd;
                diag += inertia;
                rhs += push;
                w.LimitInertia[d] = inertia;
                w.LimitPush[d] = push;
                w.LimitSign[d] = T.Select(above, -T.One, T.One);
                // Dof d is hinge d % 3 of joint d / 3 + 1.
                limited[plant.ChainOfJoint[d / 3 + 1]] |= T.AnyTrue(T.Select(above, above, below));
            }
            if (muscles)
            {
                rhs += w.MuscleForce[d];
            }
            if (pd)
            {
                T kp = T.Splat(s.Kp[d]);
                T kd = T.Splat(s.Kd[d]);
                T target = T.Load(s.PdTarget, d * stride + offset);
                T targetVel = T.Load(s.PdTargetVelocity, d * stride + offset);
                T pdForce = kp * (target - q) + kd * (targetVel - qd);
                if (inverseDynamics)
                {
                    pdForce += w.FeedForward[d] + w.Bias[d] + damping * qd;
                }
                w.PdForce[d] = pdForce;
                diag += dt * kd + dt2 * kp;
                rhs += pdForce - kp * dt * qd;
            }
            w.Diag[d] = diag;
            w.Rhs[d] = rhs;
        }

        for (int c = 0; c < plant.Chains.Length; c++)
        {
            int[] chain = plant.Chains[c];
            int size = 3 * chain.Length;
            int blockBase = c * n * n;
            Span<T> block = w.Block.AsSpan(blockBase, n * n);
            for (int ik = 0; ik < chain.Length; ik++)
            {
                int d0 = 3 * (chain[ik] - 1);
                for (int a = 0; a < 3; a++)
                {
                    int l = 3 * ik + a;
                    block[l * n + l] += w.Diag[d0 + a];
                }
            }
            Span<T> x = w.X.AsSpan();
            for (int l = 0; l < size; l++)
            {
                x[l] = w.Rhs[3 * (chain[l / 3] - 1) + l % 3];
            }
            if (limited[c])
            {
                SolveWithLimits(w, chain, block, x, size);
            }
            else
            {
                SolveLdlt(block, x, size);
            }
            for (int l = 0; l < size; l++)
            {
                int d = 3 * (chain[l / 3] - 1) + l % 3;
                T qd = T.MulAdd(dt, x[l], w.Qd[d]);
                T q = T.MulAdd(dt, qd, w.Q[d]);
                T.Store(qd, s.Qd, d * stride + offset);
                T.Store(q, s.Q, d * stride + offset);
            }
        }

        // Output sums: generalized forces each actuator source would apply (muscle torques are reported even
        // when not applied, because the training reward compares them with the PD torques).
        for (int d = 0; d < plant.DofCount; d++)
        {
            int o = d * stride + offset;
            T.Store(T.Load(s.MuscleForceSum, o) + w.MuscleForce[d], s.MuscleForceSum, o);
            if (pd)
            {
                T.Store(T.Load(s.PdForceSum, o) + w.PdForce[d], s.PdForceSum, o);
            }
        }
    }

    /// <summary>
    /// Solves a chain whose block holds limit rows. A limit row may only push (f = (aref − a)/R ≥ 0, as MuJoCo projects
    /// it); a lane where the solved row would pull, because the joint is leaving its limit faster than aref, gets the
    /// solution without that row, so a limit never holds a joint that is already on its way back into range. The rows are
    /// taken out of the factored block by the Woodbury identity (one back-solve per released dof and a k x k system per
    /// lane), not by factoring again. One release pass, where MuJoCo iterates to the projected solution: side by side with
    /// MuJoCo's projected Gauss-Seidel over the limit rows (1 to 50 sweeps), validate-myohand's co-activation mean was
    /// 0.92° against 0.91°.
    /// </summary>
    private static void SolveWithLimits(Workspace w, int[] chain, Span<T> block, Span<T> x, int size)
    {
        const int n = HandPlant.MaxChainDofs;
        SolveLdlt(block, x, size);
        Span<int> slots = stackalloc int[n];
        Span<T> inertia = w.ReleaseInertia, push = w.ReleasePush;
        int k = 0;
        for (int l = 0; l < size; l++)
        {
            int d = 3 * (chain[l / 3] - 1) + l % 3;
            T m = w.LimitInertia[d];
            // The row's force along its push direction: aref/R less the inertia it added times the solved acceleration.
            T pulls = T.Select(T.GreaterThan(m, T.Zero), T.LessThan(w.LimitSign[d] * (w.LimitPush[d] - m * x[l]), T.Zero), T.Zero);
            if (T.AnyTrue(pulls))
            {
                slots[k] = l;
                inertia[k] = T.Select(pulls, m, T.Zero);
                push[k] = T.Select(pulls, w.LimitPush[d], T.Zero);
                k++;
            }
        }
        if (k == 0)
        {
            return;
        }
        // Without rows j (inertia m_j on the diagonal, push p_j on the right): x' = x + Σ_j W_j·(m_j·y_j − p_j), W_j the
        // solved column of slot j and y = x' at the released slots, from (I − W_D·diag(m))·y = x_D − W_D·p.
        Span<T> columns = w.ReleaseColumns.AsSpan(0, k * n);
        columns.Clear();
        for (int j = 0; j < k; j++)
        {
            Span<T> column = columns.Slice(j * n, n);
            column[slots[j]] = T.One;
            SolveFactored(block, column, size);
        }
        Span<T> system = w.ReleaseSystem.AsSpan(0, k * k);
        Span<T> y = w.ReleaseY.AsSpan(0, k);
        for (int i = 0; i < k; i++)
        {
            T rhs = x[slots[i]];
            for (int j = 0; j < k; j++)
            {
                T wij = columns[j * n + slots[i]];
                system[i * k + j] = (i == j ? T.One : T.Zero) - wij * inertia[j];
                rhs -= wij * push[j];
            }
            y[i] = rhs;
        }
        // Gaussian elimination without pivoting: I − W_D·diag(m) has its eigenvalues in (0, 1] (W_D·diag(m) is a
        // contraction, the rows' inertia being part of the matrix W inverts), and a lane with no release has an identity row.
        for (int i = 0; i < k; i++)
        {
            T inv = T.One / system[i * k + i];
            for (int r = i + 1; r < k; r++)
            {
                T factor = system[r * k + i] * inv;
                for (int c = i; c < k; c++)
                {
                    system[r * k + c] -= factor * system[i * k + c];
                }
                y[r] -= factor * y[i];
            }
        }
        for (int i = k - 1; i >= 0; i--)
        {
            T v = y[i];
            for (int c = i + 1; c < k; c++)
            {
                v -= system[i * k + c] * y[c];
            }
            y[i] = v / system[i * k + i];
        }
        for (int j = 0; j < k; j++)
        {
            T gain = inertia[j] * y[j] - push[j];
            ReadOnlySpan<T> column = columns.Slice(j * n, n);
            for (int l = 0; l < size; l++)
            {
                x[l] = T.MulAdd(column[l], gain, x[l]);
            }
        }
    }

    /// <summary>In-place LDL^T of the lower triangle of an n x n SPD block (row stride 9), then solve for x.</summary>
    internal static void SolveLdlt(Span<T> a, Span<T> x, int size)
    {
        Factor(a, size);
        SolveFactored(a, x, size);
    }

    /// <summary>In-place LDL^T of the lower triangle of an SPD block (row stride 9): L below the diagonal, D on it.</summary>
    internal static void Factor(Span<T> a, int size)
    {
        const int n = HandPlant.MaxChainDofs;
        for (int j = 0; j < size; j++)
        {
            T dj = a[j * n + j];
            for (int k = 0; k < j; k++)
            {
                T ljk = a[j * n + k];
                dj -= ljk * ljk * a[k * n + k];
            }
            a[j * n + j] = dj;
            T inv = T.One / dj;
            for (int i = j + 1; i < size; i++)
            {
                T v = a[i * n + j];
                for (int k = 0; k < j; k++)
                {
                    v -= a[i * n + k] * a[j * n + k] * a[k * n + k];
                }
                a[i * n + j] = v * inv;
            }
        }
    }

    /// <summary>Solves L·D·Lᵀ·x = x in place with a block <see cref="Factor"/> has factored.</summary>
    internal static void SolveFactored(ReadOnlySpan<T> a, Span<T> x, int size)
    {
        const int n = HandPlant.MaxChainDofs;
        for (int i = 0; i < size; i++)
        {
            T v = x[i];
            for (int k = 0; k < i; k++)
            {
                v -= a[i * n + k] * x[k];
            }
            x[i] = v;
        }
        for (int i = 0; i < size; i++)
        {
            x[i] = x[i] / a[i * n + i];
        }
        for (int i = size - 1; i >= 0; i--)
        {
            T v = x[i];
            for (int k = i + 1; k < size; k++)
            {
                v -= a[k * n + i] * x[k];
            }
            x[i] = v;
        }
    }
}
