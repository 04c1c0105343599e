"""Enriching: one paper per copy set, stable slugs, links, tags, curation, related papers."""
