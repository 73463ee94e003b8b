using TorchSharp;

namespace MsMano.Learning.Tests;

/// <summary>
/// Tests that touch TorchSharp run one at a time (its RNG and thread pool are process-global) with a single
/// intra-op thread: these networks are tiny, and spinning OpenMP workers stall badly on a shared, busy host.
/// </summary>
[CollectionDefinition("Torch")]
public sealed class TorchCollection : ICollectionFixture<TorchSingleThread>
{
}

public sealed class TorchSingleThread
{
    public TorchSingleThread()
    {
        torch.set_num_threads(1);
    }
}
