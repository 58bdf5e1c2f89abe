"""Security and input-robustness tests: hostile input, malformed plans, rights and secrets."""
