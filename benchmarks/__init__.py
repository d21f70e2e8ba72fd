"""zgc's benchmark harness: start-up, scale, size-curve, peers and install figures.

Run it with `uv run python -m benchmarks` (`--quick` for a smoke run, `--only GROUP` for one
group; see `python -m benchmarks --help`). Nothing here is imported by zgc itself; results are
recorded by hand in benchmarks/RESULTS.md.
"""
