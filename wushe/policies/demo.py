"""Demo step placeholder; filled below."""
