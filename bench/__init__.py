"""Benchmarks of the casebook at scale: a synthetic casebook (``bench.synth``) and the measuring run (``bench.run``)."""
