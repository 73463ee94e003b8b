using System.Diagnostics;
using System.Reflection;
using Akka.Actor;
using k8s;
using k8s.Models;
using MsMano.Cluster.Health;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Logging;
using MsMano.Cluster.Management;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Dashboard.Hosting;

namespace MsMano.Cluster.Tests.Manifests;

public sealed class DeployManifestTests
{
    private static readonly IReadOnlyList<object> s_base = DeployManifests.LoadBase();
    private static readonly V1ConfigMap s_config = DeployManifests.Single<V1ConfigMap>(s_base, "msmano-cluster");

    public static TheoryData<string, string> Roles => new() { { "learner", ClusterRoles.Learner }, { "sim", ClusterRoles.Sim } };

    [Fact]
    public void The_base_holds_rbac_the_configmap_two_headless_services_two_statefulsets_a_pdb_and_a_network_policy()
    {
        Assert.Equal(10, s_base.Count);
        Assert.Single(s_base.OfType<V1ServiceAccount>());
        Assert.Single(s_base.OfType<V1Role>());
        Assert.Single(s_base.OfType<V1RoleBinding>());
        Assert.Single(s_base.OfType<V1PodDisruptionBudget>());
        Assert.Single(s_base.OfType<V1NetworkPolicy>());
        Assert.Equal(2, s_base.OfType<V1Service>().Count());
        Assert.Equal(2, s_base.OfType<V1StatefulSet>().Count());
        Assert.Single(s_base.OfType<V1ConfigMap>());
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Each_role_has_a_headless_service_that_publishes_not_ready_addresses_on_the_remoting_port(string name, string role)
    {
        V1Service service = DeployManifests.Single<V1Service>(s_base, name);
        V1StatefulSet set = DeployManifests.Single<V1StatefulSet>(s_base, name);

        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(service.Spec.PublishNotReadyAddresses);
        // The learner's also carries the dashboard (port-forward target); sims serve none.
        int[] ports = name == "learner" ? [ClusterNodeOptions.DefaultPort, ManagementOptions.DefaultPort, DashboardSettings.DefaultPort] : [ClusterNodeOptions.DefaultPort, ManagementOptions.DefaultPort];
        Assert.Equal(ports, service.Spec.Ports.Select(p => p.Port));
        Assert.Equal(name, set.Spec.ServiceName);
        Assert.Equal(set.Spec.Template.Metadata.Labels["app"], service.Spec.Selector["app"]);
        Assert.Equal(set.Spec.Selector.MatchLabels["app"], set.Spec.Template.Metadata.Labels["app"]);
        Assert.Equal([role], Container(set).Args);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Probes_are_the_nodes_own_http_health_endpoints_on_the_management_port(string name, string role)
    {
        V1Container container = Container(DeployManifests.Single<V1StatefulSet>(s_base, name));
        ClusterNodeOptions options = BindPod(name, 0);

        V1ContainerPort remote = container.Ports.Single(p => p.Name == "akka-remote");
        V1ContainerPort management = container.Ports.Single(p => p.Name == "management");
        Assert.Equal(options.Port, remote.ContainerPort);
        Assert.True(options.Management.Enabled);
        Assert.Equal(options.Management.Port, management.ContainerPort);
        Assert.Equal(NodeHealth.LivePath, container.LivenessProbe.HttpGet.Path);
        Assert.Equal(NodeHealth.ReadyPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("management", container.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("management", container.ReadinessProbe.HttpGet.Port.Value);
        // Liveness waits for a startup probe with a generous budget: a node killed while starting never rejoins.
        Assert.Equal(NodeHealth.LivePath, container.StartupProbe.HttpGet.Path);
        Assert.True(container.StartupProbe.PeriodSeconds * container.StartupProbe.FailureThreshold >= 120);
        Assert.True((container.LivenessProbe.InitialDelaySeconds ?? 0) == 0);
        Assert.Null(options.ReadinessFile);
        Assert.Equal([role], options.Roles);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Every_cluster_variable_is_one_the_binder_reads(string name, string role)
    {
        _ = role;
        V1Container container = Container(DeployManifests.Single<V1StatefulSet>(s_base, name));
        var names = container.Env.Select(e => e.Name).Concat(s_config.Data.Keys).Where(n => n is not ("POD_NAME" or "POD_IP")).ToList();

        Assert.All(names, n => Assert.True(
            ClusterNodeOptionsBinder.IsKnownEnvironmentVariable(n) || LearnerSettingsBinder.IsKnownEnvironmentVariable(n) || SimulationNodeSettingsBinder.IsKnownEnvironmentVariable(n)
            || LogProperties.EnvironmentVariables.Contains(n) || (name == "learner" && DashboardSettingsBinder.IsKnownEnvironmentVariable(n)),
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
    public void No_node_has_a_seed_bootstrap_finds_pods_by_the_label_every_pod_template_carries()
    {
        ClusterNodeOptions learner = BindPod("learner", 0);
        ClusterNodeOptions sim = BindPod("sim", 5);
        foreach (ClusterNodeOptions options in new[] { learner, sim })
        {
            Assert.Empty(options.Seeds);
            Assert.Equal(ClusterFormation.Kubernetes, options.Management.Formation);
            Assert.Equal(ManagementOptions.DefaultPodLabelSelector, options.Management.PodLabelSelector);
        }
        // Discovery returns pod IPs; a node recognises itself among them only if it advertises its IP.
        Assert.Equal(PodIp(5), sim.Management.EffectiveHostname(sim));
        Assert.Equal("sim-5.sim", sim.PublicHostname);

        // kustomize puts the label on the pod templates (includeTemplates), where discovery and the NetworkPolicy look.
        string[] selector = learner.Management.PodLabelSelector.Split('=');
        string kustomization = File.ReadAllText(Path.Combine(DeployManifests.K8s, "base", "kustomization.yaml"));
        Assert.Contains($"{selector[0]}: {selector[1]}", kustomization);
        Assert.Contains("includeTemplates: true", kustomization);
    }

    [Fact]
    public void Rbac_lets_the_pods_service_account_get_list_and_watch_pods_and_nothing_else()
    {
        V1ServiceAccount account = s_base.OfType<V1ServiceAccount>().Single();
        V1Role role = s_base.OfType<V1Role>().Single();
        V1RoleBinding binding = s_base.OfType<V1RoleBinding>().Single();

        V1PolicyRule rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["get", "list", "watch"], rule.Verbs.Order());
        Assert.Equal(role.Metadata.Name, binding.RoleRef.Name);
        Assert.Equal("Role", binding.RoleRef.Kind);
        Assert.Equal(account.Metadata.Name, Assert.Single(binding.Subjects).Name);
        Assert.All(s_base.OfType<V1StatefulSet>(), set => Assert.Equal(account.Metadata.Name, set.Spec.Template.Spec.ServiceAccountName));
    }

    [Fact]
    public void The_disruption_budget_takes_one_sim_at_a_time()
    {
        V1PodDisruptionBudget budget = s_base.OfType<V1PodDisruptionBudget>().Single();
        V1StatefulSet sim = DeployManifests.Single<V1StatefulSet>(s_base, "sim");
        Assert.Equal(1, budget.Spec.MaxUnavailable.Value is string text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : Convert.ToInt32(budget.Spec.MaxUnavailable.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(sim.Spec.Template.Metadata.Labels["app"], budget.Spec.Selector.MatchLabels["app"]);
    }

    [Fact]
    public void The_network_policy_admits_remoting_and_management_from_the_jobs_pods_only_plus_metrics_scrapers()
    {
        V1NetworkPolicy policy = s_base.OfType<V1NetworkPolicy>().Single();
        string[] selector = ManagementOptions.DefaultPodLabelSelector.Split('=');
        Assert.Equal(selector[1], policy.Spec.PodSelector.MatchLabels[selector[0]]);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        V1NetworkPolicyIngressRule peers = policy.Spec.Ingress[0];
        Assert.Equal(selector[1], Assert.Single(peers.FromProperty).PodSelector.MatchLabels[selector[0]]);
        Assert.Equal(["4053", "8558"], peers.Ports.Select(p => p.Port.Value.ToString()!));
        V1NetworkPolicyIngressRule scrapers = policy.Spec.Ingress[1];
        Assert.NotNull(Assert.Single(scrapers.FromProperty).NamespaceSelector);
        Assert.Equal(["8558"], scrapers.Ports.Select(p => p.Port.Value.ToString()!));
    }

    [Fact]
    public void Kubectl_kustomize_renders_the_base_and_every_overlay_where_kubectl_exists()
    {
        string? kubectl = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl is null)
        {
            return; // CI images without kubectl: the typed-model tests above still cover the base.
        }
        // The TLS component's Secret is generated from two git-ignored files (msmano cluster-cert); stand-ins let
        // kustomize render it here (this is the test's own copy of deploy/, never the repository's).
        string tls = Path.Combine(DeployManifests.K8s, "components", "cluster-tls");
        foreach (string secret in new[] { "cluster.pfx", "password.txt" })
        {
            if (Directory.Exists(tls) && !File.Exists(Path.Combine(tls, secret)))
            {
                File.WriteAllText(Path.Combine(tls, secret), "stand-in for the kustomize render test");
            }
        }
        string[] targets = [Path.Combine(DeployManifests.K8s, "base"), .. Directory.GetDirectories(Path.Combine(DeployManifests.K8s, "overlays"))];
        foreach (string target in targets)
        {
            var start = new System.Diagnostics.ProcessStartInfo(kubectl, ["kustomize", target]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using Process process = System.Diagnostics.Process.Start(start)!;
            string rendered = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {target}: {error}");
            List<object> objects = KubernetesYaml.LoadAllFromString(rendered);
            Assert.Contains(objects, o => o is V1Role);
            Assert.Contains(objects, o => o is V1NetworkPolicy);
            Assert.All(objects.OfType<V1StatefulSet>(), set => Assert.Equal("msmano", set.Spec.Template.Metadata.Labels["app.kubernetes.io/part-of"]));
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void The_grace_period_outlasts_the_shutdown_budget(string name, string role)
    {
        _ = role;
        V1StatefulSet set = DeployManifests.Single<V1StatefulSet>(s_base, name);
        ClusterNodeOptions options = BindPod(name, 0);

        Assert.True(set.Spec.Template.Spec.TerminationGracePeriodSeconds >= options.ShutdownTimeout.TotalSeconds + 5);
    }

    [Fact]
    public void The_learner_keeps_checkpoints_and_events_on_its_volume_and_its_settings_bind()
    {
        V1StatefulSet set = DeployManifests.Single<V1StatefulSet>(s_base, "learner");
        string mount = Container(set).VolumeMounts.Single(m => m.Name == "checkpoints").MountPath;
        LearnerSettings settings = LearnerSettingsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], PodEnvironment("learner", 0)));

        Assert.StartsWith(mount + "/", settings.CheckpointDirectory);
        Assert.StartsWith(mount + "/", settings.TensorBoardDirectory);
        Assert.Equal(16_384, settings.BatchSize);
        Assert.Equal("checkpoints", Assert.Single(set.Spec.VolumeClaimTemplates).Metadata.Name);
    }

    [Fact]
    public void The_learner_pod_serves_the_dashboard_on_its_named_port_on_all_interfaces_and_an_env_value_switches_it_off()
    {
        V1StatefulSet set = DeployManifests.Single<V1StatefulSet>(s_base, "learner");
        Dictionary<string, string> environment = PodEnvironment("learner", 0);
        DashboardSettings settings = DashboardSettingsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], environment), new DashboardSettings { Port = 1 });

        Assert.True(settings.Enabled);
        Assert.Equal("0.0.0.0", settings.Host);
        Assert.Equal(Container(set).Ports.Single(p => p.Name == "dashboard").ContainerPort, settings.Port);
        Assert.Equal("dashboard", DeployManifests.Single<V1Service>(s_base, "learner").Spec.Ports.Single(p => p.Port == settings.Port).TargetPort.Value);
        Assert.StartsWith(Container(set).VolumeMounts.Single(m => m.Name == "checkpoints").MountPath + "/", settings.ClipsDirectory);
        // The dashboard has no authentication: the NetworkPolicy admits only remoting and management, never it.
        Assert.DoesNotContain(s_base.OfType<V1NetworkPolicy>().Single().Spec.Ingress.SelectMany(i => i.Ports), p => p.Port.Value.ToString() == settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var off = new Dictionary<string, string>(environment) { ["MSMANO__DASHBOARD__ENABLED"] = "false" };
        Assert.False(DashboardSettingsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], off), new DashboardSettings()).Enabled);
        var bad = new Dictionary<string, string>(environment) { ["MSMANO__DASHBOARD__PORT"] = "80a" };
        ArgumentException error = Assert.Throws<ArgumentException>(() => DashboardSettingsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], bad), new DashboardSettings()));
        Assert.Contains("MSMANO__DASHBOARD__PORT", error.Message);
        Assert.Contains("'80a'", error.Message);
    }

    [Fact]
    public void A_sim_pod_runs_one_actor_per_requested_core()
    {
        V1StatefulSet set = DeployManifests.Single<V1StatefulSet>(s_base, "sim");
        SimulationNodeSettings settings = SimulationNodeSettingsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], PodEnvironment("sim", 2)));

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
        V1StatefulSet patch = KubernetesYaml.Deserialize<V1StatefulSet>(File.ReadAllText(Path.Combine(directory, patchFile)));

        Assert.Equal("sim", patch.Metadata.Name);
        Assert.Equal(replicas, patch.Spec.Replicas);
        Assert.Null(patch.Spec.Template);
        Assert.Null(patch.Spec.Selector);
        // A new cluster needs two agreeing contact points (learner + a sim); every scale runs at least two sims.
        Assert.True(replicas >= 2);
    }

    [Fact]
    public void The_gpu_component_asks_for_one_gpu_under_limits_for_the_learner_only()
    {
        string component = Path.Combine(DeployManifests.K8s, "components", "learner-gpu");
        Assert.Equal("Component", DeployManifests.KustomizationKind(component));
        string patchFile = Assert.Single(DeployManifests.KustomizationList(component, "patches"));
        V1StatefulSet patch = KubernetesYaml.Deserialize<V1StatefulSet>(File.ReadAllText(Path.Combine(component, patchFile)));

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
        // The dashboard needs ASP.NET Core's shared framework, which only the aspnet runtime image carries.
        Assert.Contains(typeof(DashboardSettings).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final", dockerfile);
        Assert.Contains($"EXPOSE {DashboardSettings.DefaultPort}", dockerfile);
        Assert.Contains($"EXPOSE {ClusterNodeOptions.DefaultPort}", dockerfile);
        Assert.Contains($"EXPOSE {ManagementOptions.DefaultPort}", dockerfile);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"msmano.dll\"]", dockerfile);
        Assert.Contains("dotnet publish src/Cli/MsMano.Cli.csproj", dockerfile);

        // The restore layer copies project files alone: every project the CLI builds on must be among them.
        var projects = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<System.Reflection.Assembly>([typeof(ClusterNodeOptions).Assembly, typeof(DashboardSettings).Assembly]);
        while (pending.TryPop(out Assembly? assembly))
        {
            if (assembly.GetName().Name is { } project && project.StartsWith("MsMano.", StringComparison.Ordinal) && projects.Add(project))
            {
                foreach (AssemblyName reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("MsMano.", StringComparison.Ordinal)))
                {
                    pending.Push(System.Reflection.Assembly.Load(reference));
                }
            }
        }
        Assert.Contains("MsMano.Dashboard", projects);
        Assert.All(projects, p => Assert.Contains($"COPY src/{p["MsMano.".Length..]}/{p}.csproj src/{p["MsMano.".Length..]}/", dockerfile));
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
        return ClusterNodeOptionsBinder.Bind(MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], PodEnvironment(name, ordinal)));
    }

    private static string PodIp(int ordinal) => $"10.1.0.{10 + ordinal}";

    private static Dictionary<string, string> PodEnvironment(string name, int ordinal)
    {
        V1Container container = Container(DeployManifests.Single<V1StatefulSet>(s_base, name));
        var environment = new Dictionary<string, string>(s_config.Data);
        string podName = $"{name}-{ordinal}";
        foreach (V1EnvVar variable in container.Env)
        {
            environment[variable.Name] = variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => podName,
                "status.podIP" => PodIp(ordinal),
                _ => variable.Value.Replace("$(POD_NAME)", podName, StringComparison.Ordinal).Replace("$(POD_IP)", PodIp(ordinal), StringComparison.Ordinal),
            };
        }
        return environment;
    }
}
