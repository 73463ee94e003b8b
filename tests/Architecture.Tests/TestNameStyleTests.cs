using System.Text.RegularExpressions;

namespace MsMano.Architecture.Tests;

/// <summary>The house test-name style (.editorconfig, [tests/**.cs]): test names are sentences with underscores.</summary>
public sealed class TestNameStyleTests
{
    // A [Fact] or [Theory], any attributes after it, and the name of the method it marks (tools/style/snake-test-names.py).
    private static readonly Regex s_test = new(@"\[(?:Fact|Theory)[^\]]*\][^{;]*?public\s+(?:async\s+Task|void)\s+(?<name>\w+)\s*\(", RegexOptions.Singleline);

    [Fact]
    public void Every_test_name_is_a_sentence_with_underscores()
    {
        string tests = Path.Combine(RepositoryRoot(), "tests");
        List<(string File, string Name)> found = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(tests, f).Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"))
            .SelectMany(f => s_test.Matches(File.ReadAllText(f)).Select(m => (Path.GetRelativePath(tests, f), m.Groups["name"].Value)))
            .ToList();

        // Guards the scan itself: a pattern that found nothing would pass every name.
        Assert.True(found.Count > 400, $"only {found.Count} tests found under {tests}");
        Assert.Empty(found.Where(t => !t.Name.Contains('_', StringComparison.Ordinal)).Select(t => $"{t.File}: {t.Name}"));
    }

    // The test runs from tests/Architecture.Tests/bin/<configuration>/<framework>/ inside the repository.
    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "MsMano.sln")))
            {
                return d.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no MsMano.sln above {AppContext.BaseDirectory}");
    }
}
