"""Benchmarks: CaseApp measured against its floors (not collected by pytest). See README.md."""
