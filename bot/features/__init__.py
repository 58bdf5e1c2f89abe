"""The bot's features: one package each, with its handlers, its messages and its callback data.

A feature's ``callbacks`` module declares the callback data its buttons carry, built and
parsed there alone; its ``handlers`` parse an update, call one use case and render the
answer (``render``); ``bot.handlers`` registers them all in one ordered list.
"""
