"""Use cases shared by the CLI and the window: plain functions with progress callbacks."""
