"""/dashboard: the button that opens the controllers' dashboard, a Telegram Mini App."""
