using MessagePack;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Evaluation;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;

namespace MsMano.Contracts.Messaging;

/// <summary>
/// Marker for every message that crosses a node boundary. Akka binds this interface to
/// <see cref="Serialization.ContractSerializer"/>; the union keys let a message also travel polymorphically
/// (for example inside another record) without a type name on the wire. Union keys are part of the schema:
/// never reuse or renumber one.
/// </summary>
[Union(0, typeof(RolloutChunk))]
[Union(1, typeof(RolloutAck))]
[Union(2, typeof(PolicyWeightsChunk))]
[Union(3, typeof(NodeRegistration))]
[Union(4, typeof(NodeStatus))]
[Union(5, typeof(TrainingStatus))]
[Union(6, typeof(EvaluationReport))]
[Union(7, typeof(RequestEvaluation))]
[Union(20, typeof(TrainerHello))]
[Union(21, typeof(RoundStart))]
[Union(22, typeof(StopCollecting))]
[Union(23, typeof(ShardReady))]
[Union(24, typeof(ReducePlan))]
[Union(25, typeof(ReduceChunk))]
[Union(26, typeof(UpdateDone))]
[Union(27, typeof(UpdateAborted))]
[Union(28, typeof(SendState))]
[Union(29, typeof(StateChunk))]
public interface IClusterMessage
{
    /// <summary>
    /// Throws <see cref="ContractValidationException"/> naming the first field that breaks the message's
    /// invariants. The serializer calls it on both sides of the wire.
    /// </summary>
    void Validate();
}
