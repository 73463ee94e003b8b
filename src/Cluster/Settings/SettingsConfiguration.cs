using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Settings;

/// <summary>
/// The one way a process's settings are assembled, in increasing precedence: appsettings.json (optional, in the
/// working directory), environment variables (<c>MSMANO__*</c>, <c>CLUSTER__*</c>; "__" separates sections), then the
/// command's flags mapped onto the same keys. Unknown keys are refused here (<see cref="SettingsKeys"/>); values are
/// converted and checked by the binders. The binary and the tests build their configuration through this.
/// </summary>
public static class SettingsConfiguration
{
    public const string AppSettingsFile = "appsettings.json";

    /// <param name="flags">The command's flags as configuration entries; null values (flags not given) are skipped.</param>
    /// <param name="environment">Variables to use instead of the process's (tests); null = the process environment.</param>
    /// <param name="appSettingsPath">The appsettings file; null = appsettings.json in the working directory.</param>
    public static IConfigurationRoot Build(
        IEnumerable<KeyValuePair<string, string?>> flags, IReadOnlyDictionary<string, string>? environment = null, string? appSettingsPath = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var given = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string? value) in flags)
        {
            if (value is not null)
            {
                given[key] = value;
            }
        }
        IConfigurationBuilder builder = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(appSettingsPath ?? AppSettingsFile), optional: true, reloadOnChange: false);
        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.Add(new EnvironmentDictionarySource(environment));
        }
        IConfigurationRoot root = builder.AddInMemoryCollection(given).Build();
        SettingsKeys.Check(root);
        return root;
    }

    /// <summary>
    /// <see cref="Build"/> with flags given as a command line (<c>--port 4053 --seeds a,b</c>), mapped by
    /// <see cref="ClusterNodeOptionsBinder.CommandLineFlags"/>; other arguments are ignored.
    /// </summary>
    public static IConfigurationRoot FromCommandLine(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? appSettingsPath = null)
    {
        IConfiguration flags = new ConfigurationBuilder()
            .AddCommandLine(args, new Dictionary<string, string>(ClusterNodeOptionsBinder.CommandLineFlags))
            .Build();
        return Build(flags.AsEnumerable().Where(kv => kv.Value is not null), environment, appSettingsPath);
    }
}

/// <summary>A given set of environment variables, read by the environment provider's rule ("__" separates sections).</summary>
public sealed class EnvironmentDictionarySource(IReadOnlyDictionary<string, string> variables) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new EnvironmentDictionaryProvider(variables);
}

/// <summary>The provider of <see cref="EnvironmentDictionarySource"/>; unknown keys from it are named as environment variables.</summary>
public sealed class EnvironmentDictionaryProvider(IReadOnlyDictionary<string, string> variables) : ConfigurationProvider
{
    public override void Load()
    {
        Data = variables.ToDictionary(
            kv => kv.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), kv => (string?)kv.Value, StringComparer.OrdinalIgnoreCase);
    }
}
