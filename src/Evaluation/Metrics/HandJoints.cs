namespace MsMano.Evaluation.Metrics;

/// <summary>The 21-keypoint order of DexYCB and OakInk (= manopth output order).</summary>
public static class HandJoints
{
    public const int Count = 21;
    public const int Root = 0;

    public static readonly IReadOnlyList<string> Names =
    [
        "wrist",
        "thumb_mcp", "thumb_pip", "thumb_dip", "thumb_tip",
        "index_mcp", "index_pip", "index_dip", "index_tip",
        "middle_mcp", "middle_pip", "middle_dip", "middle_tip",
        "ring_mcp", "ring_pip", "ring_dip", "ring_tip",
        "little_mcp", "little_pip", "little_dip", "little_tip",
    ];

    public static readonly IReadOnlyList<int> Parents = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19];
}

/// <summary>The 16-joint MANO pose order (axis-angle rows of a [16, 3] pose).</summary>
public static class ManoJoints
{
    public const int Count = 16;
    public const int PoseSize = Count * 3;

    public static readonly IReadOnlyList<string> Names =
    [
        "wrist", "index1", "index2", "index3", "middle1", "middle2", "middle3",
        "pinky1", "pinky2", "pinky3", "ring1", "ring2", "ring3", "thumb1", "thumb2", "thumb3",
    ];

    public static readonly IReadOnlyList<int> Parents = [-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14];
}
