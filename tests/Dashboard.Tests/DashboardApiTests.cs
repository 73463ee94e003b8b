using System.Net;
using System.Text.Json;

namespace MsMano.Dashboard.Tests;

/// <summary>The JSON API and the event stream of a running embedded cluster's dashboard.</summary>
[Collection(EmbeddedDashboardCollection.Name)]
public sealed class DashboardApiTests(EmbeddedDashboard embedded)
{
    [Fact]
    public async Task Status_lists_every_cluster_member_with_roles_and_the_simulation_nodes_throughput()
    {
        JsonElement status = await embedded.WaitForAsync(
            s => s.GetProperty("cluster").GetProperty("members").EnumerateArray().Count(m => m.GetProperty("nodeId").ValueKind == JsonValueKind.String) == 2,
            TimeSpan.FromSeconds(60), "both simulation nodes to report");
        JsonElement[] members = [.. status.GetProperty("cluster").GetProperty("members").EnumerateArray()];
        Assert.Equal(3, members.Length);
        Assert.All(members, m => Assert.Equal("Up", m.GetProperty("status").GetString()));
        Assert.Single(members, m => m.GetProperty("roles").EnumerateArray().Single().GetString() == "learner" && m.GetProperty("self").GetBoolean());
        JsonElement[] sims = [.. members.Where(m => m.GetProperty("roles").EnumerateArray().Single().GetString() == "sim")];
        Assert.Equal(2, sims.Length);
        Assert.Equal(["sim-1", "sim-2"], sims.Select(m => m.GetProperty("nodeId").GetString()).Order());
        Assert.All(sims, m => Assert.Equal(64, m.GetProperty("agents").GetInt32()));
        Assert.All(sims, m => Assert.True(m.GetProperty("agentStepsPerSecond").GetDouble() >= 0));

        // Some node reports a positive rate within a few status intervals.
        await embedded.WaitForAsync(s => s.GetProperty("training").GetProperty("agentStepsPerSecond").GetDouble() > 0, TimeSpan.FromSeconds(60), "a positive agent-steps/s");
    }

    [Fact]
    public async Task Training_reports_version_reward_kl_busy_share_and_checkpoints_and_history_grows()
    {
        JsonElement first = await embedded.WaitForAsync(s => s.GetProperty("training").GetProperty("updates").GetInt64() >= 2, TimeSpan.FromSeconds(90), "two updates");
        JsonElement t = first.GetProperty("training");
        Assert.Equal("learner", t.GetProperty("source").GetString());
        Assert.Equal(t.GetProperty("updates").GetInt64(), t.GetProperty("policyVersion").GetInt64());
        Assert.True(double.IsFinite(t.GetProperty("meanReward").GetDouble()));
        Assert.True(t.GetProperty("approxKl").GetDouble() >= 0);
        double busy = t.GetProperty("busyShare").GetDouble();
        Assert.InRange(busy, 0.0, 1.0);
        Assert.EndsWith("checkpoints", t.GetProperty("checkpointDirectory").GetString());
        Assert.False(t.GetProperty("converged").GetBoolean());

        long updates = t.GetProperty("updates").GetInt64();
        await embedded.WaitForAsync(s => s.GetProperty("training").GetProperty("updates").GetInt64() > updates + 1, TimeSpan.FromSeconds(90), "more updates");
        using var history = JsonDocument.Parse(await embedded.Http.GetStringAsync(new Uri(embedded.Url, "api/history")));
        JsonElement[] points = [.. history.RootElement.GetProperty("updates").EnumerateArray()];
        Assert.True(points.Length >= 3, $"{points.Length} update points");
        Assert.Equal(points.Select(p => p.GetProperty("update").GetInt64()).Order(), points.Select(p => p.GetProperty("update").GetInt64()));
        Assert.NotEmpty(history.RootElement.GetProperty("throughput").EnumerateArray());
    }

    [Fact]
    public async Task The_event_stream_pushes_status_events_as_training_moves()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(embedded.Url, "api/events"));
        using HttpResponseMessage response = await embedded.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var versions = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (versions.Distinct().Count() < 2)
        {
            string? line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var status = JsonDocument.Parse(line["data: ".Length..]);
                versions.Add(status.RootElement.GetProperty("training").GetProperty("policyVersion").GetInt64());
            }
        }
        Assert.True(versions[^1] > versions[0], string.Join(",", versions));
    }

    [Fact]
    public async Task Clips_are_listed_and_served_by_name_only()
    {
        using var list = JsonDocument.Parse(await embedded.Http.GetStringAsync(new Uri(embedded.Url, "api/clips")));
        string[] names = [.. list.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
        Assert.Contains("excitation-fds4.json", names);
        Assert.Contains("biopr-sample.json", names);
        using var clip = JsonDocument.Parse(await embedded.Http.GetStringAsync(new Uri(embedded.Url, "api/clips/excitation-fds4.json")));
        Assert.Equal("msmano-clip", clip.RootElement.GetProperty("format").GetString());

        foreach (string bad in new[] { "api/clips/..%2F..%2Fcheckpoints%2Flatest.json", "api/clips/missing.json", "api/clips/.hidden.json" })
        {
            using HttpResponseMessage response = await embedded.Http.GetAsync(new Uri(embedded.Url, bad));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_page_and_the_vendored_three_js_with_its_licence_are_served()
    {
        string page = await embedded.Http.GetStringAsync(embedded.Url);
        Assert.Contains("<canvas id=\"viewer-canvas\">", page);
        string three = await embedded.Http.GetStringAsync(new Uri(embedded.Url, "vendor/three/three.module.js"));
        Assert.Contains("SPDX-License-Identifier: MIT", three);
        string licence = await embedded.Http.GetStringAsync(new Uri(embedded.Url, "vendor/three/LICENSE"));
        Assert.Contains("The MIT License", licence);
        using HttpResponseMessage evaluation = await embedded.Http.GetAsync(new Uri(embedded.Url, "api/evaluation"));
        using var state = JsonDocument.Parse(await evaluation.Content.ReadAsStringAsync());
        Assert.False(state.RootElement.GetProperty("enabled").GetBoolean()); // the synthetic task is not evaluated
        using HttpResponseMessage plot = await embedded.Http.GetAsync(new Uri(embedded.Url, "api/evaluation/plots/0"));
        Assert.Equal(HttpStatusCode.NotFound, plot.StatusCode);
    }
}
