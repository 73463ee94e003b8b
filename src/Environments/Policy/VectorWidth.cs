using System.Runtime.Intrinsics;

namespace MsMano.Environments.Policy;

/// <summary>Which inference kernel a <see cref="PolicyRunner"/> uses.</summary>
public enum VectorWidth
{
    Scalar = 0,
    Bits256 = 256,
    Bits512 = 512,
}

/// <summary>The SIMD width this CPU runs the policy kernel at.</summary>
public static class VectorWidths
{
    /// <summary>The widest kernel this CPU accelerates.</summary>
    public static VectorWidth Best =>
        Vector512.IsHardwareAccelerated ? VectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Bits256
        : VectorWidth.Scalar;

    /// <summary>The requested width, lowered to what the CPU accelerates.</summary>
    public static VectorWidth Supported(VectorWidth requested) => (VectorWidth)Math.Min((int)requested, (int)Best);
}
