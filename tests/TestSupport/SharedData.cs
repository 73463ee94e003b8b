namespace MsMano.TestSupport;

/// <summary>
/// Locates the read-only reference folder "shared" (MyoHand MJCF and the MuJoCo-compiled dump): walks up from the test
/// base directory looking for shared/myohand, then tries /work/shared.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Directory => Root.Value;

    public static string MyoHandXml => Path.Combine(Require(), "myohand", "hand", "myohand.xml");

    public static string CompiledJson => Path.Combine(Require(), "reference", "myohand_compiled.json");

    public const string MissingMessage = "The reference folder shared/myohand was not found above the test directory or at /work/shared; MyoHand comparisons skipped.";

    public static string Require() => Root.Value ?? throw new InvalidOperationException(MissingMessage);

    private static string? Find()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "shared");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "myohand")))
            {
                return candidate;
            }
        }
        return System.IO.Directory.Exists("/work/shared/myohand") ? "/work/shared" : null;
    }
}

/// <summary>A fact that needs the MyoHand reference data; skipped with a clear message when it is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Directory is null)
        {
            Skip = SharedData.MissingMessage;
        }
    }
}
