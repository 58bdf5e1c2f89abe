"""Benchmarks that run Eskertu's delivery against the local Bot API server."""
