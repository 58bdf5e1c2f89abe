"""The sandbox: the real bot, a local Telegram and a web chat, to try Eskertu without a token.

``python -m bot demo`` (``make demo``) builds the bot through the composition root, points it
at the local Bot API server of :mod:`sandbox.botapi`, and serves a web page on 127.0.0.1 where
a trainer speaks as the administrator, a coordinator, an officer, a controller or a newcomer,
and moves the bot's clock forward to show reminders, replies and escalations in minutes.
"""
