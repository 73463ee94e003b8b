using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Simd;

namespace MsMano.Biomechanics.Contacts;

/// <summary>
/// The pairs one bundle may touch during a control step, found at its first substep with their contact frames and
/// Jacobian rows, and held for the substeps after it (as the wraps' tangent points are): a later substep only projects
/// the rates through the held rows and applies the forces, and the distance follows the held normal row to first order.
/// Slots are packed per pair: body A's chain, then body B's (one set when both share a chain).
/// </summary>
internal sealed class HeldContacts<T> where T : unmanaged, ILane<T>
{
    /// <summary>Pairs held this control step.</summary>
    public int Count;
    public readonly int[] Pair;
    /// <summary>Lanes that reached each held pair at the first substep (the others do not touch it this control step).</summary>
    public readonly T[] Lanes;
    /// <summary>First slot of each held pair; a slot is one dof, with its three row entries at 3 x slot in <see cref="Rows"/>.</summary>
    public readonly int[] Start;
    public readonly int[] Length;
    /// <summary>Slots of body A's chain (the rest belong to body B's); equal to Length when both share a chain.</summary>
    public readonly int[] SizeA;
    public readonly int[] ChainA;
    public readonly int[] ChainB;
    /// <summary>Per slot: the normal, first and second tangent rows' entries, interleaved so a substep reads one stream.</summary>
    public readonly T[] Rows;
    /// <summary>Dof of each slot.</summary>
    public readonly int[] Dofs;
    /// <summary>Surface distance at the held angles less the normal row times them: distance(q) ≈ Offset + Gn·q.</summary>
    public readonly T[] Offset;
    /// <summary>Lanes whose normal damper was active at the first substep: their implicit term is in <see cref="Block"/>.</summary>
    public readonly T[] Active;
    /// <summary>Per held pair this substep: the normal row times the angles, the normal and sliding rates (the sliding
    /// slots then hold the friction forces), the normal force, and whether any lane touches.</summary>
    public readonly T[] NormalQ;
    public readonly T[] Speed;
    public readonly T[] Slide1;
    public readonly T[] Slide2;
    public readonly T[] NormalForce;
    public readonly bool[] Pushing;
    /// <summary>Sum of the held pairs' implicit normal dampers per chain block (lower triangles), added every substep.</summary>
    public readonly T[] Block;
    public readonly bool[] ChainUsed;
    /// <summary>Linear velocity of every joint centre at the first substep (for the reach of the pairs).</summary>
    public readonly Vec3<T>[] Velocity;
    /// <summary>Fastest a capsule's surface moves at the first substep: its joint's speed plus spin times its swing.</summary>
    public readonly T[] GeomSpeed;

    /// <summary>
    /// How long the held set must cover (s): the control step in a batch. 0 refreshes every call, as diagnostics and tests
    /// that step the kernel by hand expect.
    /// </summary>
    public float Horizon;

    public HeldContacts(HandPlant plant, int pairCount, int geomCount)
    {
        int pairs = Math.Max(1, pairCount);
        Pair = new int[pairs];
        Lanes = new T[pairs];
        Start = new int[pairs];
        Length = new int[pairs];
        SizeA = new int[pairs];
        ChainA = new int[pairs];
        ChainB = new int[pairs];
        Rows = new T[pairs * 3 * 2 * HandPlant.MaxChainDofs];
        Dofs = new int[pairs * 2 * HandPlant.MaxChainDofs];
        Offset = new T[pairs];
        Active = new T[pairs];
        NormalQ = new T[pairs];
        Speed = new T[pairs];
        Slide1 = new T[pairs];
        Slide2 = new T[pairs];
        NormalForce = new T[pairs];
        Pushing = new bool[pairs];
        Block = new T[plant.Chains.Length * HandPlant.MaxChainDofs * HandPlant.MaxChainDofs];
        ChainUsed = new bool[plant.Chains.Length];
        Velocity = new Vec3<T>[plant.JointCount];
        GeomSpeed = new T[Math.Max(1, geomCount)];
    }
}
