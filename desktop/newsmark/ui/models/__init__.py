"""Qt item models adapting domain objects for views."""
