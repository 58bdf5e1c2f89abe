"""Plan changes in chat: edits, uploaded plan files, change notices and their acknowledgements."""
