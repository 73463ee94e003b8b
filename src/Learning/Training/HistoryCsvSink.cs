using MsMano.Learning.Metrics;

namespace MsMano.Learning.Training;

/// <summary>
/// history.csv outlet: one <see cref="TrainingRecord"/> row per update, flushed at once so a crash loses no row;
/// a resumed run rewrites the rows it kept before appending.
/// </summary>
public sealed class HistoryCsvSink : IMetricsSink
{
    private readonly StreamWriter _csv;

    public HistoryCsvSink(string path, IEnumerable<TrainingRecord> kept)
    {
        ArgumentNullException.ThrowIfNull(kept);
        _csv = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));
        _csv.WriteLine(TrainingRecord.CsvHeader);
        foreach (TrainingRecord row in kept)
        {
            _csv.WriteLine(row.ToCsv());
        }
        _csv.Flush();
    }

    public void Record(MetricsSample sample)
    {
        _csv.WriteLine(TrainingRecord.From(sample).ToCsv());
        _csv.Flush();
    }

    public void Flush() => _csv.Flush();

    public void Dispose() => _csv.Dispose();
}
