using Akka;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using MsMano.Cluster.Singleton;
using MsMano.Learning.Ppo;
using Serilog;

namespace MsMano.Cluster.Learner;

/// <summary>
/// Starts the learner on a node with role <c>learner</c>: the <see cref="LearnerActor"/> as a cluster singleton (one
/// per cluster however many learner nodes run), plus a coordinated-shutdown task that checkpoints before the node
/// leaves. Call once per ActorSystem.
/// </summary>
public static class LearnerHost
{
    /// <summary>How long the shutdown checkpoint may take; below the before-cluster-shutdown phase timeout (30 s).</summary>
    public static readonly TimeSpan ShutdownCheckpointTimeout = TimeSpan.FromSeconds(25);

    /// <summary>Starts the singleton manager; returns it.</summary>
    public static IActorRef Start(ActorSystem system, LearnerSettings settings, PpoConfig ppo)
    {
        return Start(system, settings, ppo, LearningMode.Central, null);
    }

    /// <summary>
    /// Starts the singleton manager for <paramref name="mode"/>: the central learner, or the data-parallel group's
    /// coordinator (at the same path, so proxies, the shutdown checkpoint and progress listeners serve both).
    /// </summary>
    public static IActorRef Start(ActorSystem system, LearnerSettings settings, PpoConfig ppo, LearningMode mode, DataParallel.DataParallelSettings? dataParallel)
    {
        ArgumentNullException.ThrowIfNull(system);
        settings.Validate();
        ppo.Validate();
        Props singleton = mode == LearningMode.DataParallel
            ? DataParallel.CoordinatorActor.Props(settings, ppo, dataParallel ?? new DataParallel.DataParallelSettings())
            : LearnerActor.Props(settings, ppo);
        IActorRef manager = system.ActorOf(
            ClusterSingletonManager.Props(singleton, PoisonPill.Instance, LearnerSingleton.ManagerSettings(system)),
            LearnerSingleton.ManagerName);

        // Registered at start, as coordinated shutdown asks; a learner that never started simply does not answer.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "learner-checkpoint", async () =>
        {
            try
            {
                CheckpointAnswer answer = await AskForCheckpointAsync(system, ShutdownCheckpointTimeout).ConfigureAwait(false);
                switch (answer)
                {
                    case CheckpointAnswer.LearnerStoppedFirst:
                        Log.Information("No shutdown checkpoint: the learner stopped first (it checkpoints on stop)");
                        break;
                    case CheckpointAnswer.NoLearner:
                        // Downed (its learner stopped with the singleton manager and checkpointed on stop), or a standby node.
                        Log.Information("No shutdown checkpoint to ask for: no learner runs on this node");
                        break;
                    case CheckpointAnswer.NoAnswer:
                        Log.Warning("No shutdown checkpoint: the learner did not answer within {Seconds:F0} s", ShutdownCheckpointTimeout.TotalSeconds);
                        break;
                }
            }
            catch (Exception ex)
            {
                Log.Error(ex, "Shutdown checkpoint failed");
            }
            return Done.Instance;
        });
        return manager;
    }

    /// <summary>
    /// Asks the learner singleton running on <paramref name="system"/>'s node (the central learner, or the data-parallel
    /// coordinator, which first lets the round in flight finish) to checkpoint, and waits for the save.
    /// </summary>
    public static async Task<CheckpointAnswer> AskForCheckpointAsync(ActorSystem system, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(system);
        IActorRef learner;
        try
        {
            // The singleton itself, not its manager (which answers only the singleton protocol). Resolve first: a
            // selection of an actor that is gone would only time out after the whole timeout.
            learner = await system.ActorSelection(LearnerSingleton.SingletonPath).ResolveOne(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }
        catch (ActorNotFoundException)
        {
            return CheckpointAnswer.NoLearner;
        }
        using var unwatch = new CancellationTokenSource();
        Task<Done> checkpoint = learner.Ask<Done>(LearnerProtocol.CheckpointNow.Instance, timeout);
        Task<bool> stopped = learner.WatchAsync(unwatch.Token);
        Task first = await Task.WhenAny(checkpoint, stopped).ConfigureAwait(false);
        await unwatch.CancelAsync().ConfigureAwait(false);
        if (first != checkpoint && stopped.IsCompletedSuccessfully && stopped.Result)
        {
            return CheckpointAnswer.LearnerStoppedFirst;
        }
        try
        {
            await checkpoint.ConfigureAwait(false);
            return CheckpointAnswer.Saved;
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
        {
            return CheckpointAnswer.NoAnswer;
        }
    }

    /// <summary>Calls <paramref name="onProgress"/> (on an actor thread) for every progress the learner on this node publishes.</summary>
    public static IActorRef ListenForProgress(ActorSystem system, Action<LearnerProgress> onProgress, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(onProgress);
        IActorRef listener = system.ActorOf(Props.Create(() => new LearnerProgressListener(onProgress)), name);
        system.EventStream.Subscribe(listener, typeof(LearnerProgress));
        return listener;
    }
}
