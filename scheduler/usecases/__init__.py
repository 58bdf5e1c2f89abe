"""Use cases: each one is one transaction and the only way the adapter changes state."""
