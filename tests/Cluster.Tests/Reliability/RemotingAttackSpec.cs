using System.Buffers.Binary;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Cluster.Tests.Training;
using MsMano.Cluster.Tls;
using MsMano.Environments.Synthetic;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Reliability;

/// <summary>
/// The attacks a hostile process on the pod network can make without the certificate, replayed on loopback against a
/// training learner: random bytes, forged frame lengths, and a connect-and-close flood on its remoting port. Training
/// must go on (updates keep coming, the honest node stays registered) and the managed heap must stay flat.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class RemotingAttackSpec : Akka.TestKit.Xunit2.TestKit
{
    private const int GarbageConnections = 48;
    private const int GarbageBytesPerConnection = 256 * 1024; // 12 MiB in all
    private const int FloodConnections = 1500;
    private const long HeapAllowance = 64L * 1024 * 1024;

    private readonly ITestOutputHelper _output;

    public RemotingAttackSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Garbage_bytes_forged_frames_and_a_connect_flood_leave_training_running_and_memory_flat(bool tls)
    {
        ClusterTls? certificate = tls ? ClusterTls.Generate() : null;
        ActorSystem learner = ClusterNode.Start(TrainingNodes.Node(ClusterRoles.Learner) with { Tls = certificate }, TrainingNodes.Overrides);
        ActorSystem? sim = null;
        try
        {
            LearnerHost.Start(learner, TrainingNodes.Learner(), TrainingNodes.Ppo);
            TestProbe progress = TrainingNodes.ProgressProbe(this, learner);
            string seed = TrainingNodes.Address(learner);
            sim = ClusterNode.Start(TrainingNodes.Node(ClusterRoles.Sim, seed) with { Tls = certificate }, TrainingNodes.Overrides);
            SimulationNodeHost.Start(sim, TrainingNodes.Sim("sim-1"), id => new TargetTrackingSource(32, TrainingNodes.ObservationSize, TrainingNodes.ActionSize, 100 + id));
            LearnerProgress before = await TrainingNodes.WaitForAsync(progress, p => p.Status.Updates >= 2 && p.Nodes == 1, TimeSpan.FromSeconds(90));
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            int port = Akka.Cluster.Cluster.Get(learner).SelfAddress.Port!.Value;

            var attack = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, GarbageConnections).Select(i => SendGarbageAsync(port, i)));
            await ConnectFloodAsync(port);
            attack.Stop();

            LearnerProgress after = await TrainingNodes.WaitForAsync(
                progress, p => p.Status.Updates >= before.Status.Updates + 3 && p.Nodes == 1, TimeSpan.FromSeconds(90));
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            _output.WriteLine($"tls={tls}: attack {attack.Elapsed.TotalSeconds:F1} s; updates {before.Status.Updates} -> {after.Status.Updates}; " +
                              $"managed heap {heapBefore / 1e6:F1} -> {heapAfter / 1e6:F1} MB");

            Assert.Equal(1, after.Nodes);
            Assert.True(heapAfter - heapBefore < HeapAllowance, $"managed heap grew by {(heapAfter - heapBefore) / 1e6:F1} MB");
            Assert.True(Akka.Cluster.Cluster.Get(learner).State.Members.Count == 2);
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, sim);
        }
    }

    // Random bytes, then a frame whose length prefix claims 2 GiB, on each connection; the node may close it at any time.
    private static async Task SendGarbageAsync(int port, int seed)
    {
        var random = new Random(seed);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            NetworkStream stream = client.GetStream();
            byte[] forged = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(forged, int.MaxValue);
            BinaryPrimitives.WriteInt32LittleEndian(forged.AsSpan(4), int.MaxValue);
            await stream.WriteAsync(forged);
            byte[] buffer = new byte[16 * 1024];
            for (int sent = 0; sent < GarbageBytesPerConnection; sent += buffer.Length)
            {
                random.NextBytes(buffer);
                await stream.WriteAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ObjectDisposedException)
        {
            // The node dropped the connection: that is the right answer to garbage.
        }
    }

    private static async Task ConnectFloodAsync(int port)
    {
        for (int batch = 0; batch < FloodConnections; batch += 50)
        {
            await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync("127.0.0.1", port);
                }
                catch (SocketException)
                {
                    // A full backlog refuses some; the flood goes on.
                }
            }));
        }
    }
}
