"""The benchmark: synthetic reading lists of 1,000 and 10,000 papers against a bare baseline."""
