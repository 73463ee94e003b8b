using Akka.Actor;

namespace MsMano.Cluster.Evaluation;

/// <summary>
/// Hands every <see cref="EvaluationProtocol.ReportWritten"/> and <see cref="EvaluationProtocol.EvaluationFailed"/>
/// the evaluation actor publishes on its node's EventStream to host callbacks (console, end-of-run wait). The
/// callbacks run on the actor's thread.
/// </summary>
public sealed class EvaluationOutcomeListener : ReceiveActor
{
    public EvaluationOutcomeListener(
        Action<EvaluationProtocol.ReportWritten> onReport, Action<EvaluationProtocol.EvaluationFailed> onFailure, Action<EvaluationProtocol.Progress>? onProgress = null)
    {
        Receive(onReport);
        Receive(onFailure);
        Receive<EvaluationProtocol.Progress>(p => onProgress?.Invoke(p));
    }
}
