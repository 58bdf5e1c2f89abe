"""Durable delivery: the outbox of planned messages, their claims and their outcomes."""
