"""Process plumbing shared by the stages and engines: BLAS threads, load-time GC, disk caches."""
