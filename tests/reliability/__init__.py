"""Reliability of delivery: Telegram faults, process crashes and database faults, end to end."""
