namespace MsMano.Environments.IdNet;

/// <summary>
/// Layout of one agent's observation: four blocks, each the wrist's 3 numbers (axis-angle orientation, or its
/// rate; only with the wrist) followed by the 45 finger dofs (MANO joints 1-15 x flexion, abduction, twist):
/// [current pose | current rate | next-frame target pose | target rate]. 4 x 48 = 192 with the wrist, 4 x 45 = 180
/// without. The wrist is fixed in the simulator, so its "current" numbers are the reference's.
/// </summary>
public static class IdNetObservation
{
    public const int FingerDofs = 45;

    public static int BlockSize(bool includeWrist) => includeWrist ? FingerDofs + 3 : FingerDofs;

    public static int Size(bool includeWrist) => 4 * BlockSize(includeWrist);

    /// <summary>Offset of block k (0 current pose, 1 current rate, 2 target pose, 3 target rate).</summary>
    public static int BlockOffset(int block, bool includeWrist) => block * BlockSize(includeWrist);

    /// <summary>Index of finger dof d inside a block.</summary>
    public static int DofOffset(bool includeWrist) => includeWrist ? 3 : 0;

    /// <summary>Writes one agent's observation from explicit vectors (used by the environment and BioPR alike).</summary>
    public static void Write(
        Span<float> observation,
        bool includeWrist,
        ReadOnlySpan<float> angles,
        ReadOnlySpan<float> rates,
        ReadOnlySpan<float> targetAngles,
        ReadOnlySpan<float> targetRates,
        ReadOnlySpan<float> root,
        ReadOnlySpan<float> rootRate,
        ReadOnlySpan<float> targetRoot,
        ReadOnlySpan<float> targetRootRate)
    {
        int b = BlockSize(includeWrist);
        if (observation.Length != 4 * b)
        {
            throw new ArgumentException($"observation has {observation.Length} numbers; expected {4 * b}.", nameof(observation));
        }
        WriteBlock(observation[..b], includeWrist, root, angles);
        WriteBlock(observation.Slice(b, b), includeWrist, rootRate, rates);
        WriteBlock(observation.Slice(2 * b, b), includeWrist, targetRoot, targetAngles);
        WriteBlock(observation.Slice(3 * b, b), includeWrist, targetRootRate, targetRates);
    }

    private static void WriteBlock(Span<float> block, bool includeWrist, ReadOnlySpan<float> wrist, ReadOnlySpan<float> dofs)
    {
        if (includeWrist)
        {
            wrist[..3].CopyTo(block);
            dofs[..FingerDofs].CopyTo(block[3..]);
        }
        else
        {
            dofs[..FingerDofs].CopyTo(block);
        }
    }
}
