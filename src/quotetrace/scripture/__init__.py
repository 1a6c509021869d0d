"""Scripture: references (refs), book and surah names (books), translation packs (texts), the verse index
(search) and the checks of a quote's words against the verses (check)."""
