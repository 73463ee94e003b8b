namespace MsMano.ModelFormats;

/// <summary>
/// A data file did not have the expected content. The message always names the file (or stream),
/// the field or byte offset that was wrong, and the offending value, so a user can find the problem
/// without a debugger. Readers throw it instead of returning partial results.
/// </summary>
public class DataFormatException : Exception
{
    public DataFormatException(string source, string field, string problem, Exception? inner = null)
        : base($"{source}: {field}: {problem}", inner)
    {
        SourceName = source;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file path or stream name that was being read.</summary>
    public string SourceName { get; }

    /// <summary>The field, key or byte offset that was bad.</summary>
    public string Field { get; }

    /// <summary>What was wrong, including the value seen.</summary>
    public string Problem { get; }
}
