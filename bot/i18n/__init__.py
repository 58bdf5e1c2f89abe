"""Message catalogs: every user-facing string, in Kazakh, Russian and English."""
