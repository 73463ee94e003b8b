// Tests that touch native TorchSharp state or real sockets run one collection at a time.
[assembly: CollectionBehavior(DisableTestParallelization = false, MaxParallelThreads = 2)]
