using System.Buffers.Binary;
using MsMano.Learning.Metrics;
using MsMano.Learning.Ppo;
using MsMano.Learning.Training;
using Tensorboard;

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
    public void Update_scalars_are_read_back_from_the_event_file_with_unix_wall_times()
    {
        var stats = new UpdateStats(3, 3, -0.01, 0.2, 1.5, 0.008, 0.1, 0.9, 3e-4, 0.4, 0.62, 16384, 2.0, 1);
        using (var sink = new TensorBoardSink(_dir))
        {
            sink.Record(new MetricsSample(1, [new("train/mean_reward", 0.25)]));
            sink.Record(UpdateMetrics.Sample(stats, 49152));
        }

        string path = Assert.Single(Directory.GetFiles(_dir));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(path));
        List<Event> events = ReadEvents(path);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var scalars = events.Skip(1).Select(e => (e.Step, Tag: e.Summary.Value[0].Tag, Value: e.Summary.Value[0].SimpleValue)).ToList();
        Assert.Equal((1L, "train/mean_reward", 0.25f), scalars[0]);
        var third = scalars.Where(s => s.Step == 3).ToDictionary(s => s.Tag, s => s.Value);
        Assert.Equal(0.62f, third[UpdateMetrics.MeanReward]);
        Assert.Equal(0.008f, third[UpdateMetrics.ApproxKl]);
        Assert.Equal(3e-4f, third[UpdateMetrics.LearningRate]);
        Assert.Equal(8192f, third[UpdateMetrics.TransitionsPerSecond]);
        Assert.Equal(49152f, third[UpdateMetrics.Transitions]);
        Assert.All(events.Skip(1), e => Assert.InRange(e.WallTime, 1.6e9, 4e9));
    }

    [Fact]
    public void A_step_beyond_int32_is_refused_rather_than_wrapped()
    {
        using var sink = new TensorBoardSink(_dir);
        Assert.Throws<OverflowException>(() => sink.Record(new MetricsSample(1L << 31, [new("a", 1)])));
    }

    [Fact]
    public void Every_outlet_gets_the_sample_and_history_csv_keeps_its_columns()
    {
        string csv = Path.Combine(_dir, "history.csv");
        Directory.CreateDirectory(_dir);
        var kept = new TrainingRecord(1, 100, 1.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
        var stats = new UpdateStats(2, 2, -0.01, 0.2, 1.5, 0.008, 0.1, 0.9, 3e-4, 0.4, 0.62, 100, 2.0, 0);
        using (var sinks = new MetricsSinks(new HistoryCsvSink(csv, [kept]), new TensorBoardSink(Path.Combine(_dir, "tb"))))
        {
            sinks.Record(UpdateMetrics.Sample(stats, 200,
                new(TrainingRecord.ElapsedTag, 3.5), new(TrainingRecord.TorqueGapTag, 0.05), new(TrainingRecord.CollectTag, 1.25)));
        }

        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(TrainingRecord.CsvHeader, lines[0]);
        Assert.Equal(kept.ToCsv(), lines[1]);
        Assert.Equal("2,200,3.5,0.62,0.05,1.25,2,-0.01,0.2,0.008,0.9,0.0003,1.5", lines[2]);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "tb")));
    }

    // TFRecord framing: u64 length, u32 masked CRC of the length, the Event proto, u32 masked CRC of the data.
    private static List<Event> ReadEvents(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        int at = 0;
        while (at < bytes.Length)
        {
            int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)));
            events.Add(Event.Parser.ParseFrom(bytes, at + 12, length));
            at += 12 + length + 4;
        }
        Assert.Equal(bytes.Length, at);
        return events;
    }
}
