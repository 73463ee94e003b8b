using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MsMano.Dashboard.Clips;
using MsMano.Dashboard.State;
using MsMano.Dashboard.Static;

namespace MsMano.Dashboard.Api;

/// <summary>
/// The routes. JSON: <c>/api/status</c> (everything at once), <c>/api/cluster</c>, <c>/api/training</c>,
/// <c>/api/history</c>, <c>/api/evaluation</c>, <c>/api/evaluation/plots/{i}</c> (PNG), <c>/api/clips</c>,
/// <c>/api/clips/{name}</c>; Server-Sent Events at <c>/api/events</c> (one <c>status</c> event per change, at most
/// four a second); anything else is the embedded page.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Coalesces bursts (an update and a tick together) into one event.</summary>
    private static readonly TimeSpan s_minEventInterval = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(15);

    public static void Map(WebApplication app, ActorSystem system, DashboardState state, EmbeddedAssets assets, ClipDirectory clips)
    {
        app.MapGet("/api/status", () => Results.Json(StatusViews.Status(system, state), Json(app)));
        app.MapGet("/api/cluster", () => Results.Json(StatusViews.Cluster(system, state.Training), Json(app)));
        app.MapGet("/api/training", () => StatusViews.Training(state) is { } t ? Results.Json(t, Json(app)) : Results.NoContent());
        app.MapGet("/api/history", () => Results.Json(new { updates = state.UpdateHistory(), throughput = state.ThroughputHistory() }, Json(app)));
        app.MapGet("/api/evaluation", () => Results.Json(StatusViews.Evaluation(state), Json(app)));
        app.MapGet("/api/evaluation/plots/{index:int}", (int index) =>
        {
            IReadOnlyList<string> plots = state.Evaluation?.PlotPaths ?? [];
            if (index < 0 || index >= plots.Count || !File.Exists(plots[index]))
            {
                return Results.NotFound(new { error = $"no plot {index} in the last evaluation report ({plots.Count} plots)" });
            }
            return Results.File(plots[index], "image/png");
        });
        app.MapGet("/api/clips", () => Results.Json(clips.List(), Json(app)));
        app.MapGet("/api/clips/{name}", (string name) => clips.Resolve(name) is { } path
            ? Results.File(path, "application/json")
            : Results.NotFound(new { error = $"no clip '{name}' in {clips.Root ?? "(no clips folder)"}" }));
        var frames = new StatusEventFrame(system, state, Json(app));
        app.MapGet("/api/events", (HttpContext context) => StreamEventsAsync(context, state, frames));
        app.MapGet("/{**path}", (string? path) => assets.Find(path ?? "") is { } file
            ? Results.Bytes(file.Content, file.ContentType)
            : Results.NotFound());
    }

    private static JsonSerializerOptions Json(WebApplication app) =>
        app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static async Task StreamEventsAsync(HttpContext context, DashboardState state, StatusEventFrame frames)
    {
        HttpResponse response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        CancellationToken aborted = context.RequestAborted;
        long seen = -1;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                if (state.Revision != seen)
                {
                    (byte[] frame, seen) = frames.Current();
                    await response.Body.WriteAsync(frame, aborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    await Task.Delay(s_minEventInterval, aborted).ConfigureAwait(false);
                    continue;
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                wait.CancelAfter(s_heartbeat);
                try
                {
                    await state.WaitForChangeAsync(seen, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    // Quiet for a while (training ended): a comment line keeps proxies from closing the stream.
                    await response.WriteAsync(": heartbeat\n\n", aborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away or the server is stopping.
        }
    }
}
