"""zgc's benchmark harness (`uv run python -m benchmarks --help`); zgc itself imports none of it."""
