namespace MsMano.Environments.Motion.Generator;

/// <summary>One generated clip and the kind of motion it shows.</summary>
public sealed record GeneratedMotion(HandMotionKind Kind, ReferenceMotion Motion);
