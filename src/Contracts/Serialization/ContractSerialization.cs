using System.Globalization;
using Akka.Configuration;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Serialization;

/// <summary>The HOCON that registers <see cref="ContractSerializer"/> and binds <see cref="IClusterMessage"/> to it.</summary>
public static class ContractSerialization
{
    public const string SerializerName = "msmano-contracts";

    public const string SettingsPath = "akka.actor.serialization-settings." + SerializerName;

    /// <summary>HOCON text; merge it into every node's config (every node must bind the same serializer).</summary>
    public static string Hocon(int maxPayloadBytes = ContractCodec.DefaultMaxPayloadBytes)
    {
        if (maxPayloadBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPayloadBytes), maxPayloadBytes, "maxPayloadBytes must be >= 1024");
        }
        string serializer = QualifiedName(typeof(ContractSerializer));
        string marker = QualifiedName(typeof(IClusterMessage));
        string max = maxPayloadBytes.ToString(CultureInfo.InvariantCulture);
        return $$"""
            akka.actor {
              serializers {
                {{SerializerName}} = "{{serializer}}"
              }
              serialization-bindings {
                "{{marker}}" = {{SerializerName}}
              }
              serialization-settings {
                {{SerializerName}} {
                  max-payload-bytes = {{max}}b
                }
              }
            }
            """;
    }

    public static Config Config(int maxPayloadBytes = ContractCodec.DefaultMaxPayloadBytes)
    {
        return ConfigurationFactory.ParseString(Hocon(maxPayloadBytes));
    }

    // "Namespace.Type, Assembly" without version and key, the form Akka's HOCON bindings expect.
    private static string QualifiedName(Type type)
    {
        return $"{type.FullName}, {type.Assembly.GetName().Name}";
    }
}
