"""``python -m probation_audit`` runs the command-line tool."""

from .cli import main

raise SystemExit(main())
