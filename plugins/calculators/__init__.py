"""Built-in calculators plugins."""
