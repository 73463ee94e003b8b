using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Training;

/// <summary>Learner → anyone watching (CLI, evaluation): progress after each PPO update.</summary>
[MessagePackObject]
public sealed record TrainingStatus(
    [property: Key(0)] long PolicyVersion,
    [property: Key(1)] long Updates,
    [property: Key(2)] long TotalTransitions,
    [property: Key(3)] double MeanReward,
    [property: Key(4)] double TransitionsPerSecond,
    [property: Key(5)] bool Converged) : IClusterMessage
{
    public void Validate()
    {
        Require.InRange(nameof(TrainingStatus), nameof(PolicyVersion), PolicyVersion, 0, long.MaxValue);
        Require.InRange(nameof(TrainingStatus), nameof(Updates), Updates, 0, long.MaxValue);
        Require.InRange(nameof(TrainingStatus), nameof(TotalTransitions), TotalTransitions, 0, long.MaxValue);
        Require.Finite(nameof(TrainingStatus), nameof(MeanReward), MeanReward);
        Require.Finite(nameof(TrainingStatus), nameof(TransitionsPerSecond), TransitionsPerSecond);
        if (TransitionsPerSecond < 0)
        {
            throw new ContractValidationException(nameof(TrainingStatus), nameof(TransitionsPerSecond), TransitionsPerSecond, "must be >= 0");
        }
    }
}
