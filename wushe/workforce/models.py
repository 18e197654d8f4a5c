"""Social workers and community workers (Person plus their professional record)."""
