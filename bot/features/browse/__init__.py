"""Browsing the plan: /tasks with paging, and a task's card."""
