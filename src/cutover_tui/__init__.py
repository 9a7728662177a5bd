"""cutover-tui: a terminal dashboard for live cutover monitoring."""

__version__ = "0.1.0"
