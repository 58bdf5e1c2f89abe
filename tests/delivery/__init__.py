"""Tests of message delivery: limits, retries, the worker and the Telegram adapter."""
