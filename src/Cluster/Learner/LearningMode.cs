namespace MsMano.Cluster.Learner;

/// <summary>
/// Where PPO runs. Central: one learner singleton takes every node's rollouts (the GPU-learner layout). Data-parallel:
/// every simulation node trains a replica on its own rollouts, gradients are summed round a ring every minibatch
/// (DD-PPO), and the singleton only coordinates.
/// </summary>
public enum LearningMode
{
    Central,
    DataParallel,
}

/// <summary>The learning modes' names and the key that selects one.</summary>
public static class LearningModes
{
    public const string CentralName = "central";
    public const string DataParallelName = "data-parallel";

    /// <summary>The configuration key (environment MSMANO__LEARNING, flag --learning).</summary>
    public const string Key = "MsMano:Learning";

    /// <summary>The mode <paramref name="value"/> names; <paramref name="unset"/> when it names none.</summary>
    public static LearningMode Parse(string? value, string source, LearningMode unset = LearningMode.Central)
    {
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" => unset,
            CentralName => LearningMode.Central,
            DataParallelName or "dataparallel" or "dp" => LearningMode.DataParallel,
            _ => throw new ArgumentException($"{source} = '{value}' is not a learning mode; use '{CentralName}' or '{DataParallelName}'."),
        };
    }

    public static string Name(this LearningMode mode) => mode == LearningMode.DataParallel ? DataParallelName : CentralName;
}
