using MsMano.Contracts.Policy;
using MsMano.Environments.Policy;

namespace MsMano.TestSupport;

/// <summary>IDNet snapshots with known behaviour for BioPR tests.</summary>
public static class TestPolicies
{
    public static PolicySnapshot Random(int seed = 1) => RandomPolicySnapshot.Create(seed: seed);

    /// <summary>Every mean action is <paramref name="action"/> whatever the observation (-1: all muscles relaxed).</summary>
    public static PolicySnapshot Constant(float action, long version = 3)
    {
        PolicySnapshot random = RandomPolicySnapshot.Create(version: version);
        int head = random.LayerCount - 1;
        TensorBlob[] tensors = random.Tensors.Select(t =>
            t.Name == PolicySnapshot.WeightName(head) ? TensorBlob.FromFloats(t.Name, t.Shape, new float[t.ElementCount])
            : t.Name == PolicySnapshot.BiasName(head) ? TensorBlob.FromFloats(t.Name, t.Shape, Enumerable.Repeat(action, t.ElementCount).ToArray())
            : t).ToArray();
        return random with { Tensors = tensors };
    }
}
