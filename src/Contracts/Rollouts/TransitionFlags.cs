namespace MsMano.Contracts.Rollouts;

/// <summary>End-of-episode markers for one transition, one byte per transition on the wire.</summary>
[Flags]
public enum TransitionFlags : byte
{
    None = 0,

    /// <summary>The episode ended in a terminal state: no bootstrap from the next observation.</summary>
    Terminated = 1,

    /// <summary>The episode was cut (time limit, end of reference sequence): bootstrap from the next observation.</summary>
    Truncated = 2,
}
