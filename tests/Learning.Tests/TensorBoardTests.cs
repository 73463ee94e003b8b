using System.Text;
using MsMano.Learning.Metrics;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

public sealed class TensorBoardTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "msmano-tb-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Crc32c_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Scalars_are_read_back_with_every_crc_verified()
    {
        string path;
        using (var writer = new TensorBoardWriter(_dir, "test-host"))
        {
            path = writer.FilePath;
            writer.AddScalar("train/mean_reward", 0.25f, 1);
            writer.AddScalar("train/mean_reward", 0.5f, 2);
            writer.AddUpdate(new UpdateStats(3, 3, -0.01, 0.2, 1.5, 0.008, 0.1, 0.9, 3e-4, 0.4, 0.62, 16384, 2.0, 1), 3);
        }

        Assert.Matches(@"^events\.out\.tfevents\.\d+\.test-host$", Path.GetFileName(path));
        var events = TensorBoardWriter.ReadEvents(path);
        Assert.Equal(4, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Empty(events[0].Scalars);
        Assert.Equal(1, events[1].Step);
        Assert.Equal(new TensorBoardScalar("train/mean_reward", 0.25f), Assert.Single(events[1].Scalars));
        Assert.Equal(0.5f, events[2].Scalars[0].Value);
        Assert.Equal(3, events[3].Step);
        var tags = events[3].Scalars.ToDictionary(s => s.Tag, s => s.Value);
        Assert.Equal(0.62f, tags["train/mean_reward"]);
        Assert.Equal(0.008f, tags["train/approx_kl"]);
        Assert.Equal(3e-4f, tags["train/learning_rate"]);
        Assert.Equal(8192f, tags["perf/transitions_per_second"]);
        Assert.Contains("train/policy_loss", tags.Keys);
        Assert.Contains("train/value_loss", tags.Keys);
        Assert.All(events, e => Assert.InRange(e.WallTime, 1.6e9, 4e9));
    }

    [Fact]
    public void A_flipped_byte_is_detected()
    {
        string path;
        using (var writer = new TensorBoardWriter(_dir, "h"))
        {
            path = writer.FilePath;
            writer.AddScalar("a", 1f, 1);
        }
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => TensorBoardWriter.ReadEvents(path));
        Assert.Contains("CRC", ex.Message);
    }
}
