using Akka;
using Akka.Actor;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Training;
using Serilog;

namespace MsMano.Cluster.Evaluation;

/// <summary>
/// Starts the <see cref="EvaluationActor"/> on the learner's node. It lives beside the learner rather than in a role
/// of its own because the learner publishes its <see cref="TrainingStatus"/> and weights only on its own node's
/// EventStream; there the actor gets both for free (the same chunk references the simulation nodes are sent, nothing
/// copied), while an <c>eval</c> node would need a second weights broadcast across the network. Other nodes still
/// reach it by path (<see cref="ActorName"/>) with a <see cref="Contracts.Evaluation.RequestEvaluation"/>. Call once
/// per ActorSystem, before the learner starts, so the first weights are not missed.
/// </summary>
public static class EvaluationHost
{
    /// <summary>The actor's name under /user.</summary>
    public const string ActorName = "evaluation";

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    public static IActorRef Start(ActorSystem system, EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        settings.Validate();
        IActorRef actor = system.ActorOf(EvaluationActor.Props(settings.ToActorSettings()), ActorName);
        system.EventStream.Subscribe(actor, typeof(TrainingStatus));
        system.EventStream.Subscribe(actor, typeof(PolicyWeightsChunk));

        // First phase of leaving: a running job is cancelled (the actor's PostStop) so it does not compete with the
        // learner's shutdown checkpoint for the cores; a report that is not done by then is not waited for.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "evaluation-stop", async () =>
        {
            try
            {
                await actor.GracefulStop(s_stopTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TaskCanceledException or TimeoutException)
            {
                Log.Warning("The evaluation actor did not stop within {Timeout}", s_stopTimeout);
            }
            return Done.Instance;
        });
        Log.Information(
            "Evaluation: {Dataset}, reports under {Directory}, on convergence {OnConvergence}, RefineNet {Iterations} iterations, test sequences {Test}",
            settings.Dataset, Path.GetFullPath(settings.OutputDirectory), settings.OnConvergence, settings.RefineIterations,
            settings.MaxTestSequences == 0 ? "all" : settings.MaxTestSequences);
        return actor;
    }

    /// <summary>Calls back (on an actor thread) for every report written and every job failed on this node, and, when given, for job progress.</summary>
    public static IActorRef ListenForOutcomes(
        ActorSystem system, Action<EvaluationProtocol.ReportWritten> onReport, Action<EvaluationProtocol.EvaluationFailed> onFailure, string? name = null,
        Action<EvaluationProtocol.Progress>? onProgress = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(onReport);
        ArgumentNullException.ThrowIfNull(onFailure);
        IActorRef listener = system.ActorOf(Props.Create(() => new EvaluationOutcomeListener(onReport, onFailure, onProgress)), name);
        system.EventStream.Subscribe(listener, typeof(EvaluationProtocol.ReportWritten));
        system.EventStream.Subscribe(listener, typeof(EvaluationProtocol.EvaluationFailed));
        if (onProgress is not null)
        {
            system.EventStream.Subscribe(listener, typeof(EvaluationProtocol.Progress));
        }
        return listener;
    }
}
