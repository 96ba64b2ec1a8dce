"""The package version: the one source for the wheel's metadata, ``--version`` and reports."""

__version__ = "0.2.0.dev0"
