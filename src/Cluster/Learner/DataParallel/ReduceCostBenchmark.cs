using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using MsMano.Contracts.DataParallel;

namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>One measured all-reduce: group size, floats, and the median wall time per operation.</summary>
public sealed record ReduceCost(int Members, int Floats, double Milliseconds, int ChunksPerMemberPerOperation)
{
    public double Bytes => Floats * 4.0;
}

/// <summary>
/// Times the trainers' ring all-reduce between real ActorSystems over loopback remoting (the same chunks, codec and
/// Akka.Remote path as in a cluster), for a few group and buffer sizes, so the cost model's per-message and per-byte
/// terms are measured here rather than assumed.
/// </summary>
public static class ReduceCostBenchmark
{
    public static async Task<IReadOnlyList<ReduceCost>> MeasureAsync(IReadOnlyList<int> groupSizes, IReadOnlyList<int> floatCounts, int repetitions)
    {
        var results = new List<ReduceCost>();
        foreach (int members in groupSizes)
        {
            var nodes = Enumerable.Range(0, members).Select(_ => ClusterNodeOptions.Local(ClusterRoles.Sim)).ToList();
            Config quiet = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.remote.log-remote-lifecycle-events = off");
            await using LocalCluster cluster = await LocalCluster.StartAsync(nodes, TimeSpan.FromSeconds(60), quiet).ConfigureAwait(false);
            IActorRef[] hosts = RingHosts.StartHosts(cluster);
            int round = 0;
            foreach (int floats in floatCounts)
            {
                round++;
                RingAllReduce[] rings = await RingHosts.ConnectAsync(cluster, hosts, round, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                double[] times = new double[repetitions];
                Thread[] threads = Enumerable.Range(0, members).Select(r => new Thread(() =>
                {
                    float[] buffer = new float[floats];
                    for (int k = 0; k < repetitions + 3; k++)
                    {
                        buffer.AsSpan().Fill(1f);
                        var clock = Stopwatch.StartNew();
                        rings[r].Sum(buffer);
                        if (r == 0 && k >= 3)
                        {
                            times[k - 3] = clock.Elapsed.TotalMilliseconds;
                        }
                    }
                })).ToArray();
                foreach (Thread t in threads)
                {
                    t.Start();
                }
                foreach (Thread t in threads)
                {
                    t.Join();
                }
                Array.Sort(times);
                results.Add(new ReduceCost(members, floats, times[repetitions / 2], RingAllReduce.MessagesPerMember(floats, members)));
            }
        }
        return results;
    }
}
