"""Test suite of Eskertu."""
