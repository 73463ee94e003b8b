using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MsMano.Dashboard.Tests;

/// <summary>
/// The page in Debian's chromium (driven by Playwright, no browser download) against a running embedded cluster: the
/// node list and the reward update live, a recorded clip is drawn and moves, a damaged clip gets a clear error, and
/// the screenshots under docs/dashboard are refreshed.
/// </summary>
[Collection(EmbeddedDashboardCollection.Name)]
public sealed class BrowserTests(EmbeddedDashboard embedded, ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_page_shows_the_cluster_live_and_plays_recorded_clips()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run installs it)");
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // WebGL without a GPU: ANGLE on SwiftShader.
            Args = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
        });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 960 } });
        // CI runs every test project at once on two cores: a clip can take well over Playwright's 30 s default to load.
        page.SetDefaultTimeout(120_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        await page.GotoAsync(embedded.Url.ToString());

        // Node list: the learner and both simulation nodes, by role.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#nodes tr[data-address]').length === 3", null, new() { Timeout = 60_000 });
        Assert.Equal(1, await page.Locator("#nodes .pill.learner").CountAsync());
        Assert.Equal(2, await page.Locator("#nodes .pill.sim").CountAsync());
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#nodes tr')].filter(r => /sim-\\d/.test(r.textContent)).length === 2", null, new() { Timeout = 60_000 });

        // Live: new policy versions and reward points arrive over the event stream without a reload.
        string version = await page.InnerTextAsync("#kpi-version");
        int points = await page.EvaluateAsync<int>("() => window.msmano.state.updates.length");
        await page.WaitForFunctionAsync(
            "([v, n]) => document.querySelector('#kpi-version').textContent !== v && window.msmano.state.updates.length > n",
            new object[] { version, points }, new() { Timeout = 90_000 });
        Assert.Matches(@"^-?\d+\.\d{3}$", await page.InnerTextAsync("#kpi-reward"));
        Assert.Equal("live", await page.InnerTextAsync("#live-text"));
        await page.WaitForTimeoutAsync(1500);
        await Screenshot(page, "dashboard-cluster.png");

        // A recorded clip from the API: the hand is drawn, and frames differ.
        await page.ClickAsync("#tab-viewer");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#clip-select option').length >= 3");
        await page.SelectOptionAsync("#clip-select", "excitation-fds4.json");
        await page.WaitForFunctionAsync("() => window.msmano.clip && window.msmano.clip.kind === 'excitation'");
        (int drawn, double[] first) = await Pixels(page, 0);
        (_, double[] last) = await Pixels(page, 60);
        double moved = Difference(first, last);
        output.WriteLine($"excitation clip: {drawn} bright pixels at frame 0, {moved:P1} of the image changed by frame 60");
        Assert.True(drawn > 2000, $"only {drawn} bright pixels: the hand was not drawn");
        Assert.True(moved > 0.01, $"frames 0 and 60 differ in {moved:P2} of the image: the hand did not move");
        await page.EvaluateAsync("() => window.msmano.setFrame(40)");
        await Screenshot(page, "viewer-excitation.png");

        // The BioPR clip: three hands overlaid.
        await page.SelectOptionAsync("#clip-select", "biopr-sample.json");
        try
        {
            await page.WaitForFunctionAsync("() => window.msmano.clip && window.msmano.clip.kind === 'biopr'", null, new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            string shown = await page.EvaluateAsync<string>("() => JSON.stringify({kind: window.msmano.clip && window.msmano.clip.kind, sel: document.querySelector('#clip-select').value, options: [...document.querySelectorAll('#clip-select option')].map(o => o.value), error: document.querySelector('#viewer-error')?.innerText})");
            throw new TimeoutException($"the BioPR clip did not load: {shown}; page errors: {string.Join(" | ", errors)}");
        }
        Assert.Equal(3, await page.Locator("#layers input[type=checkbox]").CountAsync());
        (int bioDrawn, double[] bioFirst) = await Pixels(page, 0);
        (_, double[] bioLater) = await Pixels(page, 80);
        Assert.True(bioDrawn > 1000 && Difference(bioFirst, bioLater) > 0.005, $"BioPR clip: {bioDrawn} bright pixels, {Difference(bioFirst, bioLater):P2} changed");
        // Frame 33: a burst of base-estimator error that BioPR corrects.
        await page.EvaluateAsync("() => window.msmano.setFrame(33)");
        await Screenshot(page, "viewer-biopr.png");

        // A damaged clip opened from disk: one clear line, no hand left on the canvas.
        await page.SetInputFilesAsync("#clip-file", new FilePayload
        {
            Name = "broken.json",
            MimeType = "application/json",
            Buffer = System.Text.Encoding.UTF8.GetBytes("{\"format\":\"msmano-clip\",\"version\":1,\"kind\":\"tracking\",\"fps\":50,\"frames\":2,\"skeleton\":{\"points\":[\"a\",\"b\"],\"bones\":[[0,1]]},\"layers\":[{\"name\":\"x\",\"points\":[[0,0,0,1,1,1],[0,0,0,1,1]]}]}"),
        });
        await page.WaitForSelectorAsync("#viewer-error:not([hidden])");
        string error = await page.InnerTextAsync("#viewer-error");
        Assert.Contains("broken.json: layers[0].points[1].length = 5: must hold 6 numbers", error);
        (int afterError, _) = await Pixels(page, 0);
        Assert.True(afterError < 200, $"{afterError} bright pixels remain after a rejected clip");
        await Screenshot(page, "viewer-error.png");

        Assert.True(errors.Count == 0, "page errors: " + string.Join(" | ", errors));
    }

    /// <summary>Shows frame <paramref name="frame"/>; returns the bright-pixel count and a 96x64 luminance grid of the 3D canvas.</summary>
    private static async Task<(int Bright, double[] Grid)> Pixels(IPage page, int frame)
    {
        System.Text.Json.JsonElement result = await page.EvaluateAsync<System.Text.Json.JsonElement>(@"(frame) => {
            window.msmano.setFrame(frame);
            const c = document.getElementById('viewer-canvas');
            const w = 96, h = 64, off = document.createElement('canvas');
            off.width = c.width; off.height = c.height;
            const g = off.getContext('2d'); g.drawImage(c, 0, 0);
            const d = g.getImageData(0, 0, off.width, off.height).data;
            let bright = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] > 330) bright++;
            const small = document.createElement('canvas'); small.width = w; small.height = h;
            const s = small.getContext('2d'); s.drawImage(c, 0, 0, w, h);
            const p = s.getImageData(0, 0, w, h).data, grid = [];
            for (let i = 0; i < p.length; i += 4) grid.push((p[i] + p[i + 1] + p[i + 2]) * p[i + 3] / 255 / 3);
            return { bright, grid };
        }", frame);
        return (result.GetProperty("bright").GetInt32(), [.. result.GetProperty("grid").EnumerateArray().Select(v => v.GetDouble())]);
    }

    private static double Difference(double[] a, double[] b) => a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 24) / (double)a.Length;

    private async Task Screenshot(IPage page, string name)
    {
        string path = Path.Combine(DocsDirectory(), name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"screenshot {path}");
    }

    // docs/dashboard of the repository this test was built from (the test host runs from tests/…/bin/…).
    private static string DocsDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MsMano.sln")))
            {
                string docs = Path.Combine(dir.FullName, "docs", "dashboard");
                Directory.CreateDirectory(docs);
                return docs;
            }
        }
        throw new DirectoryNotFoundException($"no MsMano.sln above {AppContext.BaseDirectory}");
    }
}
