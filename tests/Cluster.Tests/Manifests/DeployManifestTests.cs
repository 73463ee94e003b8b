using Akka.Actor;
using k8s;
using k8s.Models;
using MsMano.Cluster.Options;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Simulation;

namespace MsMano.Cluster.Tests.Manifests;

public sealed class DeployManifestTests
{
    private static readonly IReadOnlyList<object> s_base = DeployManifests.LoadBase();
    private static readonly V1ConfigMap s_config = DeployManifests.Single<V1ConfigMap>(s_base, "msmano-cluster");

    public static TheoryData<string, string> Roles => new() { { "learner", ClusterRoles.Learner }, { "sim", ClusterRoles.Sim } };

    [Fact]
    public void The_base_holds_the_configmap_two_headless_services_and_two_statefulsets()
    {
        Assert.Equal(5, s_base.Count);
        Assert.Equal(2, s_base.OfType<V1Service>().Count());
        Assert.Equal(2, s_base.OfType<V1StatefulSet>().Count());
        Assert.Single(s_base.OfType<V1ConfigMap>());
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Each_role_has_a_headless_service_that_publishes_not_ready_addresses_on_the_remoting_port(string name, string role)
    {
        var service = DeployManifests.Single<V1Service>(s_base, name);
        var set = DeployManifests.Single<V1StatefulSet>(s_base, name);

        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(service.Spec.PublishNotReadyAddresses);
        Assert.Equal(ClusterNodeOptions.DefaultPort, service.Spec.Ports.Single().Port);
        Assert.Equal(name, set.Spec.ServiceName);
        Assert.Equal(set.Spec.Template.Metadata.Labels["app"], service.Spec.Selector["app"]);
        Assert.Equal(set.Spec.Selector.MatchLabels["app"], set.Spec.Template.Metadata.Labels["app"]);
        Assert.Equal([role], Container(set).Args);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Probes_use_the_remoting_port_and_the_readiness_file_the_options_write(string name, string role)
    {
        V1Container container = Container(DeployManifests.Single<V1StatefulSet>(s_base, name));
        ClusterNodeOptions options = BindPod(name, 0);

        V1ContainerPort port = container.Ports.Single();
        Assert.Equal(ClusterNodeOptions.DefaultPort, port.ContainerPort);
        Assert.Equal(options.Port, port.ContainerPort);
        Assert.Equal(port.Name, container.LivenessProbe.TcpSocket.Port.Value);
        Assert.Equal(["test", "-f", options.ReadinessFile!], container.ReadinessProbe.Exec.Command);
        Assert.Equal([role], options.Roles);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Every_cluster_variable_is_one_the_binder_reads(string name, string role)
    {
        _ = role;
        V1Container container = Container(DeployManifests.Single<V1StatefulSet>(s_base, name));
        var names = container.Env.Select(e => e.Name).Concat(s_config.Data.Keys).Where(n => n != "POD_NAME").ToList();

        Assert.All(names, n => Assert.True(
            ClusterNodeOptionsBinder.IsKnownEnvironmentVariable(n) || LearnerSettingsBinder.IsKnownEnvironmentVariable(n) || SimulationNodeSettingsBinder.IsKnownEnvironmentVariable(n),
            $"{n} is read by none of the cluster, learner and simulation settings binders"));
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("msmano-cluster", container.EnvFrom.Single().ConfigMapRef.Name);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void A_pod_advertises_exactly_its_stable_dns_name(string name, string role)
    {
        _ = role;
        Assert.Equal($"{name}-3.{name}", BindPod(name, 3).PublicHostname);
    }

    [Fact]
    public void Seeds_name_sim_0_sim_1_and_learner_0_by_the_names_those_pods_advertise()
    {
        ClusterNodeOptions learner = BindPod("learner", 0);
        ClusterNodeOptions sim = BindPod("sim", 5);

        Assert.Equal(learner.Seeds, sim.Seeds);
        var seeds = learner.Seeds.Select(Address.Parse).ToList();
        Assert.Equal(["sim-0.sim", "sim-1.sim", "learner-0.learner"], seeds.Select(a => a.Host));
        Assert.All(seeds, a => Assert.Equal(ClusterNodeOptions.DefaultSystemName, a.System));
        Assert.All(seeds, a => Assert.Equal(ClusterNodeOptions.DefaultPort, a.Port));
        Assert.Equal(BindPod("sim", 0).PublicHostname, seeds[0].Host);
        Assert.Equal(BindPod("sim", 1).PublicHostname, seeds[1].Host);
        Assert.Equal(learner.PublicHostname, seeds[2].Host);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void The_grace_period_outlasts_the_shutdown_budget(string name, string role)
    {
        _ = role;
        var set = DeployManifests.Single<V1StatefulSet>(s_base, name);
        ClusterNodeOptions options = BindPod(name, 0);

        Assert.True(set.Spec.Template.Spec.TerminationGracePeriodSeconds >= options.ShutdownTimeout.TotalSeconds + 5);
    }

    [Fact]
    public void The_learner_keeps_checkpoints_and_events_on_its_volume_and_its_settings_bind()
    {
        var set = DeployManifests.Single<V1StatefulSet>(s_base, "learner");
        string mount = Container(set).VolumeMounts.Single(m => m.Name == "checkpoints").MountPath;
        LearnerSettings settings = LearnerSettingsBinder.Bind(ClusterNodeOptionsBinder.BuildConfiguration([], PodEnvironment("learner", 0)));

        Assert.StartsWith(mount + "/", settings.CheckpointDirectory);
        Assert.StartsWith(mount + "/", settings.TensorBoardDirectory);
        Assert.Equal(16_384, settings.BatchSize);
        Assert.Equal("checkpoints", Assert.Single(set.Spec.VolumeClaimTemplates).Metadata.Name);
    }

    [Fact]
    public void A_sim_pod_runs_one_actor_per_requested_core()
    {
        var set = DeployManifests.Single<V1StatefulSet>(s_base, "sim");
        SimulationNodeSettings settings = SimulationNodeSettingsBinder.Bind(ClusterNodeOptionsBinder.BuildConfiguration([], PodEnvironment("sim", 2)));

        Assert.Equal(Container(set).Resources.Requests["cpu"].ToInt32(), settings.Actors);
        Assert.Equal(64, settings.Agents);
    }

    [Fact]
    public void The_learner_is_one_replica_and_sims_start_in_parallel()
    {
        Assert.Equal(1, DeployManifests.Single<V1StatefulSet>(s_base, "learner").Spec.Replicas);
        Assert.Equal("Parallel", DeployManifests.Single<V1StatefulSet>(s_base, "sim").Spec.PodManagementPolicy);
    }

    [Theory]
    [InlineData("sim-8", 8)]
    [InlineData("sim-32", 32)]
    [InlineData("sim-128", 128)]
    public void Scale_overlays_change_only_the_sim_replica_count(string overlay, int replicas)
    {
        string directory = Path.Combine(DeployManifests.K8s, "overlays", overlay);

        Assert.Equal(["../../base"], DeployManifests.KustomizationList(directory, "resources"));
        string patchFile = Assert.Single(DeployManifests.KustomizationList(directory, "patches"));
        var patch = KubernetesYaml.Deserialize<V1StatefulSet>(File.ReadAllText(Path.Combine(directory, patchFile)));

        Assert.Equal("sim", patch.Metadata.Name);
        Assert.Equal(replicas, patch.Spec.Replicas);
        Assert.Null(patch.Spec.Template);
        Assert.Null(patch.Spec.Selector);
        // Seeds name sim-0 and sim-1, so every scale must run at least two sims.
        Assert.True(replicas >= 2);
    }

    [Fact]
    public void The_gpu_component_asks_for_one_gpu_under_limits_for_the_learner_only()
    {
        string component = Path.Combine(DeployManifests.K8s, "components", "learner-gpu");
        Assert.Equal("Component", DeployManifests.KustomizationKind(component));
        string patchFile = Assert.Single(DeployManifests.KustomizationList(component, "patches"));
        var patch = KubernetesYaml.Deserialize<V1StatefulSet>(File.ReadAllText(Path.Combine(component, patchFile)));

        Assert.Equal("learner", patch.Metadata.Name);
        V1Container container = Container(patch);
        Assert.Equal("learner", container.Name);
        Assert.Equal(new ResourceQuantity("1"), container.Resources.Limits["nvidia.com/gpu"]);
        Assert.True(container.Resources.Requests is null || !container.Resources.Requests.ContainsKey("nvidia.com/gpu"));

        string overlay = Path.Combine(DeployManifests.K8s, "overlays", "sim-128-gpu");
        Assert.Equal(["../sim-128"], DeployManifests.KustomizationList(overlay, "resources"));
        Assert.Equal(["../../components/learner-gpu"], DeployManifests.KustomizationList(overlay, "components"));
    }

    [Fact]
    public void The_dockerfile_publishes_the_cli_and_exposes_the_remoting_port()
    {
        string dockerfile = File.ReadAllText(Path.Combine(DeployManifests.Root, "docker", "Dockerfile"));

        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime:10.0", dockerfile);
        Assert.Contains($"EXPOSE {ClusterNodeOptions.DefaultPort}", dockerfile);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"msmano.dll\"]", dockerfile);
        Assert.Contains("dotnet publish src/Cli/MsMano.Cli.csproj", dockerfile);
    }

    private static V1Container Container(V1StatefulSet set)
    {
        return Assert.Single(set.Spec.Template.Spec.Containers);
    }

    /// <summary>
    /// What the binder produces inside pod <c>{name}-{ordinal}</c>: ConfigMap variables, then the container's own
    /// (which Kubernetes lets override envFrom), with $(POD_NAME) expanded as the kubelet does.
    /// </summary>
    private static ClusterNodeOptions BindPod(string name, int ordinal)
    {
        return ClusterNodeOptionsBinder.Bind(ClusterNodeOptionsBinder.BuildConfiguration([], PodEnvironment(name, ordinal)));
    }

    private static Dictionary<string, string> PodEnvironment(string name, int ordinal)
    {
        V1Container container = Container(DeployManifests.Single<V1StatefulSet>(s_base, name));
        var environment = new Dictionary<string, string>(s_config.Data);
        string podName = $"{name}-{ordinal}";
        foreach (V1EnvVar variable in container.Env)
        {
            environment[variable.Name] = variable.ValueFrom?.FieldRef?.FieldPath == "metadata.name"
                ? podName
                : variable.Value.Replace("$(POD_NAME)", podName, StringComparison.Ordinal);
        }
        return environment;
    }
}
