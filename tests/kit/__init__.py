"""The one test kit: projects and builds (project), dump texts (dumps), built pages
(pages) and the small shared corpus (corpus)."""
