using System.Diagnostics;
using k8s;
using k8s.Models;

namespace MsMano.Cluster.Tests.Manifests;

/// <summary>
/// The data-parallel overlay: its sim pods also train a PPO replica, so they get their own memory request and limit,
/// and its learner only coordinates, so it requests less CPU (both measured in deploy/README.md); the sims keep the
/// base's one-actor-per-core CPU request.
/// </summary>
public sealed class DataParallelOverlayTests
{
    /// <summary>Highest peak RSS of a training sim in cluster-bench (deploy/README.md, "Resource requests: measured").</summary>
    private const long MeasuredTrainingSimPeakMiB = 689;

    /// <summary>Highest CPU of the coordinating learner over its life in the same runs, in cores.</summary>
    private const double MeasuredCoordinatorCores = 0.16;

    private static readonly string s_overlay = Path.Combine(DeployManifests.K8s, "overlays", "data-parallel");

    [Fact]
    public void The_overlay_patches_only_the_sim_containers_memory_above_the_measured_peak_and_the_bases_request()
    {
        V1StatefulSet patch = SimPatch();
        V1Container container = Assert.Single(patch.Spec.Template.Spec.Containers);
        V1StatefulSet baseSim = DeployManifests.Single<V1StatefulSet>(DeployManifests.LoadBase(), "sim");
        V1ResourceRequirements baseResources = Assert.Single(baseSim.Spec.Template.Spec.Containers).Resources;

        Assert.Equal("sim", container.Name);
        Assert.Null(container.Env);
        Assert.Null(container.Image);
        Assert.Null(patch.Spec.Replicas);
        // Memory only: CPU stays the base's one actor per requested core.
        Assert.Equal(["memory"], container.Resources.Requests.Keys);
        Assert.Equal(["memory"], container.Resources.Limits.Keys);
        long request = Bytes(container.Resources.Requests["memory"]);
        long limit = Bytes(container.Resources.Limits["memory"]);
        Assert.True(request >= MeasuredTrainingSimPeakMiB * 1024 * 1024 * 5 / 4, $"request {request} B leaves under 25 % above the measured {MeasuredTrainingSimPeakMiB} MiB peak");
        Assert.True(request > Bytes(baseResources.Requests["memory"]), "a training sim holds more than a collecting one");
        Assert.True(limit > request, $"limit {limit} B not above the request {request} B");
    }

    [Fact]
    public void The_coordinating_learner_requests_less_cpu_than_a_central_one_but_above_what_it_was_measured_to_use()
    {
        V1Container container = Assert.Single(Patch("learner").Spec.Template.Spec.Containers);
        V1Container baseLearner = Assert.Single(DeployManifests.Single<V1StatefulSet>(DeployManifests.LoadBase(), "learner").Spec.Template.Spec.Containers);

        Assert.Equal("learner", container.Name);
        Assert.Equal(["cpu"], container.Resources.Requests.Keys);
        Assert.Null(container.Resources.Limits);
        double cores = (double)container.Resources.Requests["cpu"].ToDecimal();
        Assert.InRange(cores, 2 * MeasuredCoordinatorCores, (double)baseLearner.Resources.Requests["cpu"].ToDecimal() / 2);
    }

    [Fact]
    public void Kubectl_renders_the_training_sims_with_the_overlays_memory_and_the_bases_cpu_where_kubectl_exists()
    {
        string? kubectl = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl is null)
        {
            return; // CI images without kubectl: the typed test above still checks the patch.
        }
        var start = new System.Diagnostics.ProcessStartInfo(kubectl, ["kustomize", s_overlay]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = System.Diagnostics.Process.Start(start)!;
        string rendered = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {s_overlay}: {error}");
        List<object> objects = KubernetesYaml.LoadAllFromString(rendered);
        IReadOnlyList<object> baseObjects = DeployManifests.LoadBase();

        V1Container sim = Assert.Single(DeployManifests.Single<V1StatefulSet>(objects, "sim").Spec.Template.Spec.Containers);
        V1Container patched = Assert.Single(SimPatch().Spec.Template.Spec.Containers);
        V1Container baseSim = Assert.Single(DeployManifests.Single<V1StatefulSet>(baseObjects, "sim").Spec.Template.Spec.Containers);
        Assert.Equal(patched.Resources.Requests["memory"], sim.Resources.Requests["memory"]);
        Assert.Equal(patched.Resources.Limits["memory"], sim.Resources.Limits["memory"]);
        Assert.Equal(baseSim.Resources.Requests["cpu"], sim.Resources.Requests["cpu"]);
        Assert.Equal(baseSim.Env.Count, sim.Env.Count);
        Assert.Equal("data-parallel", DeployManifests.Single<V1ConfigMap>(objects, "msmano-cluster").Data["MSMANO__LEARNING"]);
        V1Container learner = Assert.Single(DeployManifests.Single<V1StatefulSet>(objects, "learner").Spec.Template.Spec.Containers);
        V1Container baseLearner = Assert.Single(DeployManifests.Single<V1StatefulSet>(baseObjects, "learner").Spec.Template.Spec.Containers);
        Assert.Equal(Assert.Single(Patch("learner").Spec.Template.Spec.Containers).Resources.Requests["cpu"], learner.Resources.Requests["cpu"]);
        Assert.Equal(baseLearner.Resources.Requests["memory"], learner.Resources.Requests["memory"]);
    }

    private static V1StatefulSet SimPatch() => Patch("sim");

    private static V1StatefulSet Patch(string name)
    {
        return DeployManifests.KustomizationList(s_overlay, "patches")
            .SelectMany(p => KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(s_overlay, p))))
            .OfType<V1StatefulSet>()
            .Single(s => s.Metadata.Name == name);
    }

    private static long Bytes(ResourceQuantity quantity) => (long)quantity.ToDecimal();
}
