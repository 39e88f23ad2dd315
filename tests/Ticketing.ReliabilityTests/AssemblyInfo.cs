// The crash and load runs measure a real process on a small machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
