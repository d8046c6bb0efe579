"""`python -m newsmark` runs the command line."""

from newsmark.cli import main

raise SystemExit(main())
