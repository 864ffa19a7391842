"""Benchmarks for Samspill: ``python -m bench.generate`` fills a database, ``python -m bench.run`` times pages.

Benchmarks are never collected as tests (pytest's testpaths are ``samspill`` and ``tests``).
See docs/benchmarks.md for the method and the recorded figures.
"""
