using Akka.Actor;

namespace MsMano.Cluster.Learner;

/// <summary>
/// Hands every <see cref="LearnerProgress"/> the learner publishes on its node's EventStream to a callback, for
/// hosts outside the actor world (console display, status file). The callback runs on the actor's thread.
/// </summary>
public sealed class LearnerProgressListener : ReceiveActor
{
    public LearnerProgressListener(Action<LearnerProgress> onProgress)
    {
        Receive<LearnerProgress>(onProgress);
    }
}
