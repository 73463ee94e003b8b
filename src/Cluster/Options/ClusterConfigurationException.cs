namespace MsMano.Cluster.Options;

/// <summary>A cluster setting holds a value that cannot work; the message names the setting and the value.</summary>
public sealed class ClusterConfigurationException : Exception
{
    public ClusterConfigurationException(string setting, string? value, string rule)
        : base($"Cluster setting {setting} = '{value ?? "null"}' is invalid: {rule}.")
    {
        Setting = setting;
    }

    /// <summary>A setting that is wrong as a whole (an unknown key), with a message that names it and its source.</summary>
    public ClusterConfigurationException(string setting, string message)
        : base(message)
    {
        Setting = setting;
    }

    public string Setting { get; }
}
