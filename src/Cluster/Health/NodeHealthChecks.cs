using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsMano.Cluster.Options;
using MsMano.Cluster.Telemetry;

namespace MsMano.Cluster.Health;

/// <summary>Tags that split the checks into the two probes.</summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}

/// <summary>
/// Liveness: the ActorSystem runs and answers a message within the timeout (a wedged dispatcher fails it), and it
/// is not stuck in a coordinated shutdown: a node downed by the split-brain resolver should exit within seconds, but
/// one cut off by a partition was seen to hang in termination, so after <see cref="ShutdownGrace"/> it counts as dead
/// and the orchestrator restarts it.
/// </summary>
public sealed class ActorSystemResponsiveCheck(ActorSystem system) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(20);

    private long _shutdownSeenTicks;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (system.WhenTerminated.IsCompleted)
        {
            return HealthCheckResult.Unhealthy("actor system terminated");
        }
        if (CoordinatedShutdown.Get(system).ShutdownReason is { } reason)
        {
            long now = DateTime.UtcNow.Ticks;
            long since = Interlocked.CompareExchange(ref _shutdownSeenTicks, now, 0);
            var shuttingDown = TimeSpan.FromTicks(now - (since == 0 ? now : since));
            if (shuttingDown > ShutdownGrace)
            {
                return HealthCheckResult.Unhealthy($"shutting down ({reason.GetType().Name}) for {shuttingDown.TotalSeconds:F0} s");
            }
        }
        try
        {
            // Identify is answered by the guardian's dispatcher: it proves message processing, not just a live object.
            ActorIdentity identity = await system.ActorSelection("/user").Ask<ActorIdentity>(new Identify(1), Timeout, cancellationToken).ConfigureAwait(false);
            return identity.Subject is null ? HealthCheckResult.Unhealthy("user guardian gone") : HealthCheckResult.Healthy("responsive");
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"no answer within {Timeout.TotalSeconds:F0} s");
        }
    }
}

/// <summary>Readiness: this node's member is Up (or WeaklyUp) and it sees no unreachable member about to down it.</summary>
public sealed class MemberUpCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        MemberStatus status = cluster.SelfMember.Status;
        var data = new Dictionary<string, object> { ["status"] = status.ToString(), ["members"] = cluster.State.Members.Count, ["unreachable"] = cluster.State.Unreachable.Count };
        HealthCheckResult result = status is MemberStatus.Up or MemberStatus.WeaklyUp
            ? HealthCheckResult.Healthy($"member {status}", data)
            : HealthCheckResult.Unhealthy($"member {status}", data: data);
        return Task.FromResult(result);
    }
}

/// <summary>
/// Readiness on a learner node: the learner is ready to train, i.e. this node published a training status within
/// <paramref name="staleAfter"/> (the learner publishes one every progress interval once its checkpoint is loaded).
/// Other roles pass.
/// </summary>
public sealed class LearnerReadyCheck(ActorSystem system, TimeSpan staleAfter) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (!cluster.SelfRoles.Contains(ClusterRoles.Learner))
        {
            return Task.FromResult(HealthCheckResult.Healthy("not a learner node"));
        }
        var telemetry = NodeTelemetry.Get(system);
        DateTime? seen = telemetry.TrainingSeenUtc;
        if (seen is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("learner has not reported yet (loading its checkpoint, or the singleton runs elsewhere)"));
        }
        TimeSpan age = DateTime.UtcNow - seen.Value;
        var data = new Dictionary<string, object> { ["policyVersion"] = telemetry.PolicyVersion, ["lastReportSeconds"] = Math.Round(age.TotalSeconds, 1) };
        return Task.FromResult(age <= staleAfter
            ? HealthCheckResult.Healthy("learner ready", data)
            : HealthCheckResult.Unhealthy($"learner silent for {age.TotalSeconds:F0} s", data: data));
    }
}
