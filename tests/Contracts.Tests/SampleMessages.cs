using MsMano.Contracts.DataParallel;
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
            new TrainerHello("sim-7", 9, "0123456789abcdef", 192, 31, 64, 4_321.5),
            new RoundStart(4, 9, "0123456789abcdef", 8_192),
            new StopCollecting(4),
            new ShardReady(4, 6_144, 4_321.5),
            new ReducePlan(4, 1, ["akka.tcp://msmano@10.0.0.1:4053/user/trainer#1", "akka.tcp://msmano@10.0.0.2:4053/user/trainer#2"]),
            new ReduceChunk(4, 1, 7, 2, 0, 3, 4, Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()),
            new UpdateDone(4, 1, 10, "fedcba9876543210", 16_384, 0.61, 0.008, 3e-4, 0.9, -0.01, 0.2, 40.1, 0.7),
            new UpdateAborted(4, 1, "sim-3 unreachable"),
            new SendState(4, "akka.tcp://msmano@10.0.0.2:4053/user/trainer#2"),
            new StateChunk("0123456789abcdef", PolicyWeightsChunker.Split(10, Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray(), chunkSize: 300)[1]),
        ];
    }
}
