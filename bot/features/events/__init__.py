"""Event dates: when the event a task's deadline follows took place."""
