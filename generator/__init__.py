"""Turn Hugging Face Daily Papers dumps into a Material for MkDocs reading-list site."""

__version__ = "0.1.0"
