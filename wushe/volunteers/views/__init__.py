"""Pages of the volunteers app, one module per concept. Thin: selectors read, services write."""
