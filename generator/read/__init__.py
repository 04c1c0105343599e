"""Reading: dumps, dates and the YAML files a user edits, within bounds."""
