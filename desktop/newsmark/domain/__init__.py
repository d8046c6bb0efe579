"""The vocabulary of Newsmark as plain Python objects (stdlib only)."""
