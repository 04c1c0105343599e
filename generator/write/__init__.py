"""Writing docs/: the one writer, its manifest, the project lock."""
