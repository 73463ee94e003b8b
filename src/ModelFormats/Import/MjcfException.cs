namespace MsMano.ModelFormats.Import;

/// <summary>
/// Bad or unsupported MJCF input. The message names the file (and line when known), the XML element and attribute,
/// and the offending value.
/// </summary>
public sealed class MjcfException : Exception
{
    public MjcfException(string file, int line, string field, string? value, string problem)
        : base(Format(file, line, field, value, problem))
    {
        File = file;
        Field = field;
        Value = value;
    }

    public MjcfException(string message) : base(message)
    {
        File = "";
        Field = "";
    }

    public string File { get; }
    public string Field { get; }
    public string? Value { get; }

    private static string Format(string file, int line, string field, string? value, string problem)
    {
        string where = line > 0 ? $"{file}:{line}" : file;
        string what = value is null ? field : $"{field}=\"{value}\"";
        return $"{where}: {what}: {problem}";
    }
}
