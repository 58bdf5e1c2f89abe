"""Webhook mode: the ASGI app Telegram posts updates to, its health probe, metrics and server.

``WEBHOOK_URL`` switches it on. Several instances may then sit behind one address and
share one PostgreSQL database; see docs/deployment.md.
"""
