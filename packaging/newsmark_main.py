"""The frozen bundle's entry point: the `newsmark` command line (window by default)."""

from newsmark.cli import main

raise SystemExit(main())
