"""``python -m cutover_tui``: the same command line as the ``cutover-tui`` script."""

from __future__ import annotations

from .launch import main

if __name__ == "__main__":
    main()
