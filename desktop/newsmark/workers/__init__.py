"""Background work for the window: the NLP thread and cancellable tasks."""
