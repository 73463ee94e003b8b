using System.Globalization;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Contracts.DataParallel;
using MsMano.Learning.Ppo;
using MsMano.Learning.Training;
using Serilog;
using Spectre.Console;

namespace MsMano.Cli.Commands;

/// <summary>
/// `cluster-bench --reduce-cost`: measures the ring all-reduce here (per-message and per-byte cost between
/// ActorSystems over loopback) and extrapolates one data-parallel PPO update's communication to 8, 32 and 128 nodes
/// on 10 GbE. The model: one all-reduce of L bytes over N members costs 2(N-1) steps, each of ceil(L/N / 64 KiB)
/// messages of latency a plus (L/N)/b transfer; one update is E x M gradient all-reduces plus three small ones.
/// </summary>
public static class AllReduceCostModel
{
    // 10 GbE: 1.25 GB/s on the wire; one-way latency between racks of a LAN, added to every message's software cost.
    private const double TenGbeBytesPerSecond = 1.25e9;
    private const double TenGbeLatencySeconds = 50e-6;

    public static void Run(string markdownPath)
    {
        PpoConfig ppo = IdNetTrainingDefaults.Ppo;
        int parameters = ParameterCount(ppo.ObservationSize, ppo.Hidden, ppo.ActionSize);
        int gradientFloats = parameters + 4;
        int[] sizes = [1024, 16 * 1024, gradientFloats];
        IReadOnlyList<ReduceCost> costs = null!;
        AnsiConsole.Status().Start("Timing ring all-reduces between ActorSystems over loopback...", _ =>
        {
            costs = ReduceCostBenchmark.MeasureAsync([2, 4], sizes, repetitions: 15).GetAwaiter().GetResult();
        });

        // Per message: the 2-member, 4 KB all-reduce is 2 one-chunk steps. Per byte: what the large one adds beyond its messages.
        ReduceCost small = costs.First(c => c.Members == 2 && c.Floats == sizes[0]);
        ReduceCost large = costs.First(c => c.Members == 2 && c.Floats == gradientFloats);
        double alpha = small.Milliseconds / 1e3 / small.ChunksPerMemberPerOperation;
        double sentPerMember = 2.0 * (2 - 1) / 2 * large.Bytes;
        double beta = sentPerMember / Math.Max(1e-6, large.Milliseconds / 1e3 - large.ChunksPerMemberPerOperation * alpha);

        int reducesPerUpdate = ppo.Epochs * (int)Math.Ceiling(16384.0 / ppo.MinibatchSize);
        CultureInfo inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "# Data-parallel all-reduce: measured cost and the model up to 128 nodes",
            "",
            $"Written by `cluster-bench --reduce-cost` on {DateTime.UtcNow:yyyy-MM-dd} ({Environment.ProcessorCount} cores). IDNet as trained: {parameters:N0} parameters (policy and value),",
            $"so one gradient all-reduce moves {gradientFloats:N0} floats ({gradientFloats * 4 / 1e6:F2} MB); one update of 16,384 transitions",
            $"({ppo.Epochs} epochs x {16384 / ppo.MinibatchSize} minibatches) does {reducesPerUpdate} of them plus 3 small ones (shard sizes, normaliser sums, advantage moments).",
            "",
            "## Measured here (ring all-reduce between ActorSystems over loopback remoting, median of 15)",
            "",
            "| members | floats | ms per all-reduce | messages per member |",
            "|---|---|---|---|",
        };
        foreach (ReduceCost c in costs)
        {
            lines.Add(string.Create(inv, $"| {c.Members} | {c.Floats:N0} | {c.Milliseconds:F2} | {c.ChunksPerMemberPerOperation} |"));
        }
        lines.Add("");
        lines.Add(string.Create(inv, $"Fitted: a = {alpha * 1e6:F0} us per message (serialisation, Akka.Remote, the actor hop, on loopback) and b = {beta / 1e6:F0} MB/s per member for the payload."));
        lines.Add("");
        lines.Add("## Expected communication per update on 10 GbE");
        lines.Add("");
        lines.Add(string.Create(inv, $"Per message a + {TenGbeLatencySeconds * 1e6:F0} us of network latency; payload at min(b, 1.25 GB/s). Ring all-reduce: every member sends 2(N-1)/N of the buffer, to its successor only."));
        lines.Add("");
        lines.Add("| nodes | bytes sent per node per update | messages per node per update | latency term | bandwidth term | communication per update |");
        lines.Add("|---|---|---|---|---|---|");
        double wireAlpha = alpha + TenGbeLatencySeconds;
        double wireBeta = Math.Min(beta, TenGbeBytesPerSecond);
        foreach (int n in new[] { 2, 8, 32, 128 })
        {
            double messages = reducesPerUpdate * (double)RingAllReduce.MessagesPerMember(gradientFloats, n) + 3 * 2.0 * (n - 1);
            double bytes = reducesPerUpdate * 2.0 * (n - 1) / n * gradientFloats * 4.0;
            double latency = messages * wireAlpha;
            double bandwidth = bytes / wireBeta;
            lines.Add(string.Create(inv, $"| {n} | {bytes / 1e6:F1} MB | {messages:N0} | {latency:F2} s | {bandwidth:F3} s | {latency + bandwidth:F2} s |"));
        }
        lines.Add("");
        lines.Add("Reading it: the bytes per node stay flat as the group grows (the ring's point), but the 2(N-1) sequential steps of");
        lines.Add("each all-reduce make the per-message latency dominate at 128 nodes. There, keep the per-node share of the batch");
        lines.Add("large (`--batch` is the global batch: DD-PPO's layout is a fixed per-node rollout, i.e. a global batch that grows with N),");
        lines.Add("or use fewer, larger minibatches, so compute per update stays well above the communication.");
        File.WriteAllLines(markdownPath, lines);
        foreach (string line in lines)
        {
            AnsiConsole.WriteLine(line);
        }
        Log.Information("Wrote {Path}", markdownPath);
    }

    private static int ParameterCount(int observations, IReadOnlyList<int> hidden, int actions)
    {
        int Mlp(int output)
        {
            int total = 0;
            int width = observations;
            foreach (int h in hidden)
            {
                total += width * h + h;
                width = h;
            }
            return total + width * output + output;
        }
        // Policy mean network and its log-std, plus the value network.
        return Mlp(actions) + actions + Mlp(1);
    }
}
