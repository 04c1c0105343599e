"""Rendering: every page, list, feed, chart and export of docs/, as text."""
