"""The test suite; a package, so `pytest` and `python -m pytest` import its helpers alike (tests.site_helpers …)."""
