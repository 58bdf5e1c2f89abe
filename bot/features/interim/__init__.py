"""Interim reports on request: a controller's /ask and /asks, and the agencies' answers."""
