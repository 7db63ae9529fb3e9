"""Forms of the rounds app, one module per area."""
