using Akka.Actor;
using Akka.Configuration;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using MsMano.Contracts.DataParallel;

namespace MsMano.Cluster.Tests.Learner;

/// <summary>The ring all-reduce between real ActorSystems over loopback: exact sums, identical bits on every member.</summary>
[Collection("DataParallel")]
public sealed class RingAllReduceSpec
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_member_ends_with_the_same_exact_sum_for_small_and_multi_chunk_buffers(int members)
    {
        var nodes = Enumerable.Range(0, members).Select(_ => ClusterNodeOptions.Local(ClusterRoles.Sim)).ToList();
        Config quiet = ConfigurationFactory.ParseString("akka.loglevel = WARNING");
        await using LocalCluster cluster = await LocalCluster.StartAsync(nodes, TimeSpan.FromSeconds(60), quiet);
        RingAllReduce[] rings = await RingHosts.ConnectAsync(cluster, RingHosts.StartHosts(cluster), 1, TimeSpan.FromSeconds(30));
        // 1 element (segments of 0), 1,000 (one chunk), and 100,003 floats (several 64 KiB chunks per segment, uneven).
        int[] sizes = [1, 1_000, 100_003];
        float[][][] results = new float[members][][];
        double[][] doubles = new double[members][];
        Thread[] threads = Enumerable.Range(0, members).Select(r => new Thread(() =>
        {
            results[r] = new float[sizes.Length][];
            for (int k = 0; k < sizes.Length; k++)
            {
                float[] buffer = Enumerable.Range(0, sizes[k]).Select(i => Value(r, i)).ToArray();
                rings[r].Sum(buffer);
                results[r][k] = buffer;
            }
            double[] d = new double[] { r + 0.25, -r, 1e-12 * r };
            rings[r].Sum(d);
            doubles[r] = d;
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }
        foreach (Thread t in threads)
        {
            Assert.True(t.Join(TimeSpan.FromSeconds(60)), "an all-reduce did not finish");
        }
        for (int k = 0; k < sizes.Length; k++)
        {
            for (int i = 0; i < sizes[k]; i++)
            {
                float expected = 0;
                for (int r = 0; r < members; r++)
                {
                    expected += Value(r, i);
                }
                Assert.Equal(expected, results[0][k][i], 3);
            }
            for (int r = 1; r < members; r++)
            {
                Assert.Equal(results[0][k], results[r][k]);
            }
        }
        for (int r = 0; r < members; r++)
        {
            Assert.Equal(doubles[0], doubles[r]);
        }
        Assert.Equal(Enumerable.Range(0, members).Sum(r => r + 0.25), doubles[0][0], 12);
        Assert.All(rings, ring => Assert.Equal(RingAllReduce.MessagesPerMember(1_000, members) + RingAllReduce.MessagesPerMember(100_003, members) + 2 * 2 * (members - 1), ring.ChunksSent));
    }

    private static float Value(int rank, int index) => (rank + 1) * 0.5f + (index % 97) * 0.125f;
}
