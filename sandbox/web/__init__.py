"""The sandbox's web chat: the page, its script and styles, and the Starlette app serving them."""
