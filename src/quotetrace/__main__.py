"""``python -m quotetrace``: the command-line tool (also the script to give spark-submit: it imports absolutely)."""

from quotetrace.cli import main

main()
