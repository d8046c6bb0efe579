"""Everything that touches spaCy: model loading, tokenizing, pre-annotation, quotes, DocBin."""
