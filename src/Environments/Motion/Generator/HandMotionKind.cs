namespace MsMano.Environments.Motion.Generator;

/// <summary>The families of hand motion <see cref="HandMotionGenerator"/> produces.</summary>
public enum HandMotionKind
{
    /// <summary>Power grasp and release: all fingers close together (MCP, PIP, DIP coupled), the thumb opposes.</summary>
    Grasp,

    /// <summary>Finger tapping: one finger flexes at the MCP, its neighbours follow a little (enslaving).</summary>
    Tapping,

    /// <summary>Pinch: the thumb tip meets the index or middle fingertip, then lets go.</summary>
    Pinch,

    /// <summary>Free motion: smooth moves between random, anatomically coupled key poses.</summary>
    Free,
}
