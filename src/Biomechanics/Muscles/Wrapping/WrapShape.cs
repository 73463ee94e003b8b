using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Biomechanics.Muscles.Wrapping;

/// <summary>Which end of a wrapped segment rides on the wrap surface's own frame (then only the other end moves against it).</summary>
internal enum WrapAnchor : byte
{
    /// <summary>The segment's first point is on the wrap's frame.</summary>
    A,
    /// <summary>The segment's last point is on the wrap's frame.</summary>
    B,
    /// <summary>Neither end is: the surface rides on a third frame.</summary>
    None,
}

/// <summary>Which of MuJoCo's circle rules a wrap takes (fixed per wrap: the side point rides on the surface's body).</summary>
internal enum WrapRule : byte
{
    /// <summary>No side point: the segment wraps where it crosses the circle, the shorter way round.</summary>
    Shorter,
    /// <summary>A side point outside the surface: the segment also wraps where it passes on the far side from it.</summary>
    Outside,
    /// <summary>A side point inside the surface: the path must touch the circle (MuJoCo's inside wrap).</summary>
    Inside,
}

/// <summary>
/// A wrap surface in its own body's frame (the frame's rest offsets, as the model stores them), with the per-wrap
/// constants the SIMD solve would otherwise recompute on every lane: the cylinder basis and the side point in it.
/// </summary>
internal readonly struct WrapShape
{
    public readonly bool Sphere;
    public readonly bool HasSide;
    public readonly WrapRule Rule;
    public readonly float Radius;
    public readonly float Cx, Cy, Cz;
    /// <summary>Side point relative to the centre (sphere: needed per lane, its plane depends on the ends).</summary>
    public readonly float Sx, Sy, Sz;
    /// <summary>Cylinder: e0, e1 across the axis and the axis ez (a right-handed basis).</summary>
    public readonly float E0x, E0y, E0z, E1x, E1y, E1z, Ezx, Ezy, Ezz;
    /// <summary>Cylinder: the side point's coordinates in (e0, e1).</summary>
    public readonly float SideE0, SideE1;

    public WrapShape(bool sphere, double radius, Vec3 center, Vec3? side, Vec3 axis)
    {
        Sphere = sphere;
        HasSide = side is not null;
        Radius = (float)radius;
        (Cx, Cy, Cz) = ((float)center.X, (float)center.Y, (float)center.Z);
        Vec3 s = side is { } p ? p - center : default;
        (Sx, Sy, Sz) = ((float)s.X, (float)s.Y, (float)s.Z);
        Vec3 ez = axis.Normalized();
        WrapSolver.Basis(ez, out Vec3 e0, out Vec3 e1);
        (E0x, E0y, E0z) = ((float)e0.X, (float)e0.Y, (float)e0.Z);
        (E1x, E1y, E1z) = ((float)e1.X, (float)e1.Y, (float)e1.Z);
        (Ezx, Ezy, Ezz) = ((float)ez.X, (float)ez.Y, (float)ez.Z);
        SideE0 = (float)s.Dot(e0);
        SideE1 = (float)s.Dot(e1);
        Rule = !HasSide ? WrapRule.Shorter
            : WrapSolver.IsInside(center, side, radius) ? WrapRule.Inside
            : WrapRule.Outside;
    }
}
