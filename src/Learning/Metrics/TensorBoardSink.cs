using TorchSharp;
using TorchSharp.Modules;

namespace MsMano.Learning.Metrics;

/// <summary>
/// TensorBoard outlet: TorchSharp's <c>torch.utils.tensorboard.SummaryWriter</c> writes the event file
/// (<c>events.out.tfevents.*</c>, TFRecord-framed Event protos) that TensorBoard reads directly.
/// </summary>
public sealed class TensorBoardSink : IMetricsSink
{
    private readonly SummaryWriter _writer;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();

    public TensorBoardSink(string logDirectory, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDirectory);
        _clock = clock ?? TimeProvider.System;
        _writer = torch.utils.tensorboard.SummaryWriter(logDirectory);
        LogDirectory = _writer.LogDir;
    }

    public string LogDirectory { get; }

    public void Record(MetricsSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        // TensorBoard steps are int32 in TorchSharp; a step past that would silently wrap.
        int step = checked((int)sample.Step);
        // Whole Unix seconds, as the writer's own default, but from the injectable clock.
        long wallTime = _clock.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            foreach (Metric m in sample.Values)
            {
                _writer.add_scalar(m.Tag, (float)m.Value, step, wallTime);
            }
        }
    }

    // SummaryWriter appends and closes the file on every event, so there is nothing to flush or release.
    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
