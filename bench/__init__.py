"""Performance benchmark: ``make bench`` writes ``bench/report.md`` and ``bench/report.json``."""
