"""Webhook mode: the ASGI app, its health probe and metrics, and several instances on one database.

``instances.py`` starts the bot as ``python -m bot`` does in webhook mode (the same
application, the same ASGI app, served by uvicorn on an ephemeral port of 127.0.0.1)
and plays the load balancer by posting updates to the instances it chooses.
"""
