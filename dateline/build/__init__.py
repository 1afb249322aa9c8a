"""What makes a build fast and safe: the cache, page keys, workers, incremental output, the writer."""
