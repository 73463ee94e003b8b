using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MsMano.Cluster.Health;

/// <summary>
/// One node's checks, registered with Microsoft.Extensions.Diagnostics.HealthChecks (as Akka.Hosting registers its
/// own) and run by its <see cref="HealthCheckService"/>, split by tag into liveness and readiness.
/// </summary>
public sealed class NodeHealth
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    private readonly HealthCheckService _service;

    public NodeHealth(ActorSystem system, TimeSpan trainingStaleAfter)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks()
            .AddCheck(HealthTags.Live + "-actor-system", new ActorSystemResponsiveCheck(system), tags: [HealthTags.Live])
            .AddCheck(HealthTags.Ready + "-member-up", new MemberUpCheck(system), tags: [HealthTags.Ready])
            .AddCheck(HealthTags.Ready + "-learner", new LearnerReadyCheck(system, trainingStaleAfter), tags: [HealthTags.Ready]);
        _service = services.BuildServiceProvider().GetRequiredService<HealthCheckService>();
    }

    /// <summary>Runs one tag's checks: Healthy only when all are, with a JSON report of each.</summary>
    public async Task<(bool Healthy, string Json)> CheckAsync(string tag, CancellationToken cancellation = default)
    {
        HealthReport report = await _service.CheckHealthAsync(r => r.Tags.Contains(tag), cancellation).ConfigureAwait(false);
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return (report.Status == HealthStatus.Healthy, JsonSerializer.Serialize(body));
    }
}
