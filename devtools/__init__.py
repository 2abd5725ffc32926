"""Running the whole platform on one machine (`make run`, tests, benchmarks) and its demo data."""
