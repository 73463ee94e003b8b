using MsMano.Biomechanics.Model;
using MsMano.Environments.Motion.Generator;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>What a motion spec cannot say by itself: the hand, the MANO file, and defaults for synthetic motion.</summary>
public sealed record MotionCatalogOptions
{
    /// <summary>The simulated hand; null: the shipped hand (<see cref="HandModelFile.LoadDefault"/>).</summary>
    public HandModel? Model { get; init; }

    /// <summary>The user's MANO_RIGHT.pkl (or .npz): needed for DexYCB, whose poses are PCA coefficients of its basis.</summary>
    public string? ManoModelPath { get; init; }

    /// <summary>Generator settings for "synthetic" specs (spec settings override clip length, fps, kinds and wrist).</summary>
    public HandMotionOptions Synthetic { get; init; } = new();

    /// <summary>Clips when a "synthetic" spec names none.</summary>
    public int SyntheticClips { get; init; } = 64;

    /// <summary>Seed when a "synthetic" spec names none.</summary>
    public int SyntheticSeed { get; init; } = 1;

    /// <summary>Pose-file components beyond ±4π rad: refused (default) or clamped with a warning (<c>--clamp-poses</c>).</summary>
    public OutOfRangePoses OutOfRangePoses { get; init; } = OutOfRangePoses.Refuse;
}
