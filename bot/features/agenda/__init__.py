"""A coordinator's own agenda (/due), and the picker for a status typed out of the blue."""
