"""Tests of the plan as data: importer, grammar, validation, control points and their CLI."""
