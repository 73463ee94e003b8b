using k8s;
using k8s.Models;
using MsMano.Cluster.Options;
using MsMano.Cluster.Tests.Manifests;

namespace MsMano.Cluster.Tests.Trust;

/// <summary>The cluster-tls component: every pod gets the certificate, and only the app's pods reach the remoting port.</summary>
public sealed class ClusterTlsManifestTests
{
    private static readonly string s_component = Path.Combine(DeployManifests.K8s, "components", "cluster-tls");

    [Theory]
    [InlineData("learner")]
    [InlineData("sim")]
    public void Each_statefulset_mounts_the_secret_and_points_the_binder_at_it(string name)
    {
        Assert.Equal("Component", DeployManifests.KustomizationKind(s_component));
        V1StatefulSet patch = KubernetesYaml.Deserialize<V1StatefulSet>(File.ReadAllText(Path.Combine(s_component, $"tls-{name}.yaml")));
        V1Container container = Assert.Single(patch.Spec.Template.Spec.Containers);
        Assert.All(container.Env, e => Assert.True(ClusterNodeOptionsBinder.IsKnownEnvironmentVariable(e.Name), e.Name));
        string certificate = container.Env.Single(e => e.Name == "MSMANO__CLUSTER__TLSCERTIFICATE").Value;
        V1VolumeMount mount = Assert.Single(container.VolumeMounts);
        Assert.StartsWith(mount.MountPath + "/", certificate);
        Assert.True(mount.ReadOnlyProperty);
        V1Volume volume = Assert.Single(patch.Spec.Template.Spec.Volumes);
        Assert.Equal(mount.Name, volume.Name);
        Assert.Equal("msmano-cluster-tls", volume.Secret.SecretName);
        Assert.Contains($"tls-{name}.yaml", DeployManifests.KustomizationList(s_component, "patches"));
    }

    [Fact]
    public void The_network_policy_admits_only_the_apps_pods_and_only_on_the_remoting_port()
    {
        V1NetworkPolicy policy = KubernetesYaml.Deserialize<V1NetworkPolicy>(File.ReadAllText(Path.Combine(s_component, "networkpolicy.yaml")));
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        V1NetworkPolicyIngressRule rule = Assert.Single(policy.Spec.Ingress);
        V1NetworkPolicyPeer peer = Assert.Single(rule.FromProperty);
        Assert.Null(peer.NamespaceSelector);
        Assert.Null(peer.IpBlock);
        Assert.Equal(["learner", "sim"], Assert.Single(peer.PodSelector.MatchExpressions).Values);
        Assert.Equal(["learner", "sim"], Assert.Single(policy.Spec.PodSelector.MatchExpressions).Values);
        Assert.Equal(ClusterNodeOptions.DefaultPort.ToString(), Assert.Single(rule.Ports).Port.Value);
        foreach (string overlay in new[] { "sim-8", "sim-32", "sim-128" })
        {
            Assert.Contains("../../components/cluster-tls", DeployManifests.KustomizationList(Path.Combine(DeployManifests.K8s, "overlays", overlay), "components"));
        }
    }
}
