using MessagePack;
using MsMano.Cluster.Workers;
using MsMano.Contracts.Policy;
using MsMano.Learning.Checkpoints;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>The group's state as the coordinator holds it: blob, version, hash, counters and the policy to publish.</summary>
public sealed record GroupState(byte[] Blob, long PolicyVersion, string StateHash, long Updates, long TotalTransitions, IReadOnlyList<PolicyWeightsChunk> Weights);

/// <summary>
/// The coordinator's copy of the model, on its own thread: it turns a member's state blob into a checkpoint in the
/// same format the central learner and <c>train</c> write (so either mode resumes the other's run), loads the
/// newest checkpoint at start, and exports the policy the evaluation actor scores. It never trains.
/// </summary>
public sealed class CoordinatorStore : IDisposable
{
    private readonly DedicatedWorker _worker = new("coordinator-store");
    private readonly PpoConfig _config;
    private readonly string? _root;
    private PpoLearner? _learner;

    public CoordinatorStore(PpoConfig config, string? checkpointRoot)
    {
        _config = config.Validate();
        _root = checkpointRoot;
    }

    /// <summary>The newest checkpoint under the root, or null when there is none.</summary>
    public Task<GroupState?> LoadAsync()
    {
        return _worker.Run(() =>
        {
            PpoLearner learner = Learner();
            // The newest checkpoint that verifies; damaged ones are named and skipped, crash leftovers removed.
            if (_root is null || !learner.ResumeFromNewestCheckpoint(_root))
            {
                return (GroupState?)null;
            }
            return State(learner, LearnerStateBlob.Capture(learner));
        });
    }

    /// <summary>Loads a member's blob, writes it as a checkpoint (when a root is set) and returns it with its policy.</summary>
    public Task<(GroupState State, string? Checkpoint)> SaveAsync(byte[] blob, string source)
    {
        return _worker.Run(() =>
        {
            PpoLearner learner = Learner();
            LearnerStateBlob.Restore(learner, blob, source);
            string? path = _root is null ? null : learner.SaveCheckpoint(_root);
            return (State(learner, blob), path);
        });
    }

    public void Dispose()
    {
        _ = _worker.Run(() =>
        {
            _learner?.Dispose();
            return true;
        });
        _worker.Stop(TimeSpan.FromSeconds(30));
    }

    private PpoLearner Learner() => _learner ??= new PpoLearner(_config);

    private static GroupState State(PpoLearner learner, byte[] blob)
    {
        byte[] policy = MessagePackSerializer.Serialize(learner.ExportPolicy());
        return new GroupState(
            blob, learner.PolicyVersion, learner.StateHash(), learner.UpdateCount, learner.TotalTransitions,
            PolicyWeightsChunker.Split(learner.PolicyVersion, policy));
    }
}
