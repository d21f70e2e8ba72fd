"""zgc's benchmark harness: start-up and scale figures against their baselines.

Run it with `uv run python -m benchmarks` (`--quick` for a one-minute smoke run). Nothing here
is imported by zgc itself; results are recorded by hand in benchmarks/RESULTS.md.
"""
