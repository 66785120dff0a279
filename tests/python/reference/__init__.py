"""Independent plain-Python reference implementations used by the property tests."""
