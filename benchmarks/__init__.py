"""earcheck benchmarks: each module in this package exposes ``run(smoke: bool) -> Report``."""
