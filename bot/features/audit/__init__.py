"""The audit log: who did what and when, told in the reader's language, in pages or as a file."""
