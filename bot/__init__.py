"""Telegram adapter of Eskertu: handlers, message catalogs, the CLI and the composition root."""
