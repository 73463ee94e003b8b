namespace MsMano.Contracts.Rollouts;

/// <summary>The scalar part of a <see cref="RolloutChunk"/>, so builders pass sizes once and by name.</summary>
public readonly record struct RolloutChunkHeader(
    string NodeId,
    int ActorId,
    long Sequence,
    long PolicyVersion,
    int FirstAgent,
    int AgentCount,
    int StepCount,
    int ObservationSize,
    int ActionSize);
