"""``python -m kinetics``: the command-line interface (see :mod:`kinetics.cli`)."""

from kinetics.cli import main

raise SystemExit(main())
