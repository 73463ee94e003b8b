namespace MsMano.Cluster.Options;

/// <summary>A cluster setting holds a value that cannot work; the message names the setting and the value.</summary>
public sealed class ClusterConfigurationException : Exception
{
    public ClusterConfigurationException(string setting, string? value, string rule)
        : base($"Cluster setting {setting} = '{value ?? "null"}' is invalid: {rule}.")
    {
        Setting = setting;
    }

    public string Setting { get; }
}
