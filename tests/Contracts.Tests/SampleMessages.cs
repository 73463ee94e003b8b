using MsMano.Contracts.Evaluation;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;

namespace MsMano.Contracts.Tests;

/// <summary>One valid instance of every contract, with non-default values in every field.</summary>
internal static class SampleMessages
{
    public static IEnumerable<object[]> All()
    {
        return Instances().Select(m => new object[] { m });
    }

    public static IReadOnlyList<IClusterMessage> Instances()
    {
        return
        [
            SampleRollouts.Create(agents: 8, steps: 2, observationSize: 192, actionSize: 31, seed: 5, nodeId: "sim-7", actorId: 3, sequence: 42),
            new RolloutAck("sim-7", 3, 42, 4),
            PolicyWeightsChunker.Split(9, Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray(), chunkSize: 300)[3],
            new NodeRegistration("sim-7", 2, 128, 192, 31),
            new NodeStatus("sim-7", 2, 128, 1234.5, 9),
            new TrainingStatus(9, 8, 131_072, 0.61, 9_400.25, Converged: true),
            new EvaluationReport(
                "DexYCB s0 test",
                9,
                [new EvaluationMetric("BioPR", "test", "MPJPE", 12.3, "mm"), new EvaluationMetric("BioPR", "test", "AUC", 0.78, "")],
                "| method | MPJPE |\n|---|---|\n| BioPR | 12.3 |"),
            new RequestEvaluation("test", 9, RequestEvaluation.AllSequences),
        ];
    }
}
