"""Getting started: /start with an invitation's deep link, /help, and the choice of language."""
