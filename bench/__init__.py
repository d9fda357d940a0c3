"""xaso benchmarks: `make bench` (or `python -m bench [name ...]`) runs them and writes
docs/benchmarks.md. Timings are medians of repeated runs; nothing here is a test."""
