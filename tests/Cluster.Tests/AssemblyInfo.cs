// Cluster specs bind real sockets and run several ActorSystems each; two at a time keeps a shared 2-core box responsive.
[assembly: CollectionBehavior(DisableTestParallelization = false, MaxParallelThreads = 2)]
