"""``python -m quotetrace``: the command-line tool."""

from .cli import main

main()
