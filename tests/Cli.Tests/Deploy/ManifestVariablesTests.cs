using System.Collections;
using System.Text.RegularExpressions;
using MsMano.Cli.Errors;

namespace MsMano.Cli.Tests.Deploy;

/// <summary>
/// msmano refuses any MSMANO__* variable it does not read, so one the manifests set but the CLI does not know stops
/// every pod at start (the ConfigMap's logging variables did).
/// </summary>
public sealed partial class ManifestVariablesTests
{
    [Fact]
    public void Every_msmano_variable_the_manifests_set_is_one_msmano_accepts()
    {
        string k8s = Path.Combine(RepositoryRoot(), "deploy", "k8s");
        var variables = new Hashtable();
        foreach (string file in Directory.EnumerateFiles(k8s, "*.yaml", SearchOption.AllDirectories))
        {
            foreach (Match m in VariableName().Matches(File.ReadAllText(file)))
            {
                variables[m.Groups[1].Value] = file;
            }
        }
        Assert.Contains("MSMANO__LOGGING__FORMAT", variables.Keys.Cast<string>());
        Assert.True(variables.Count > 10, $"only {variables.Count} MSMANO__ variables found under {k8s}");
        EnvironmentKeys.Check(variables);
    }

    // A ConfigMap key (`MSMANO__X: value`) or an env entry (`name: MSMANO__X`).
    [GeneratedRegex(@"(?:^\s*|name:\s*)(MSMANO__[A-Z0-9_]*[A-Z0-9])\b", RegexOptions.Multiline)]
    private static partial Regex VariableName();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MsMano.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no MsMano.sln above {AppContext.BaseDirectory}");
    }
}
