// One embedded cluster serves every test of the collection; its sockets and TorchSharp state are not shared further.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
