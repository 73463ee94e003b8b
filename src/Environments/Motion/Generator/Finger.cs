namespace MsMano.Environments.Motion.Generator;

/// <summary>The four long fingers in anatomical order (the order the coupling tables use).</summary>
internal enum Finger
{
    Index,
    Middle,
    Ring,
    Pinky,
}

/// <summary>The four long fingers and their MANO joints.</summary>
internal static class Fingers
{
    public static readonly Finger[] All = [Finger.Index, Finger.Middle, Finger.Ring, Finger.Pinky];

    /// <summary>MANO joint of the MCP (PIP and DIP follow): index 1, middle 4, pinky 7, ring 10.</summary>
    public static int McpJoint(Finger finger) => finger switch
    {
        Finger.Index => 1,
        Finger.Middle => 4,
        Finger.Ring => 10,
        _ => 7,
    };

    /// <summary>Fingertip keypoint in the 21-keypoint order: thumb 4, index 8, middle 12, ring 16, little 20.</summary>
    public static int TipKeypoint(Finger finger) => finger switch
    {
        Finger.Index => 8,
        Finger.Middle => 12,
        Finger.Ring => 16,
        _ => 20,
    };

    /// <summary>
    /// Flexion that follows when one finger flexes alone (row: the moving finger; columns: index, middle, ring, pinky),
    /// as a fraction of its MCP flexion. Shared tendons and muscle slips make middle, ring and pinky follow each other
    /// most and the index least; the figures are chosen to show that pattern qualitatively, not fitted to a study.
    /// </summary>
    public static readonly double[,] Enslaving =
    {
        { 1.00, 0.25, 0.10, 0.05 },
        { 0.20, 1.00, 0.40, 0.15 },
        { 0.10, 0.45, 1.00, 0.50 },
        { 0.05, 0.15, 0.50, 1.00 },
    };

    public const int ThumbFirstDof = 36;

    public const int ThumbTipKeypoint = 4;
}
