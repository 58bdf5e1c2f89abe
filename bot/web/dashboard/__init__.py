"""The controllers' dashboard, a Telegram Mini App: its pages, their views, and their server.

``create_dashboard_app`` builds the Starlette app (served under ``/app/`` by the webhook
listener, by a listener of its own in polling mode, and by the sandbox's web chat).
"""
