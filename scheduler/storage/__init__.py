"""Storage of Eskertu: tables, the engine factory, migrations and repositories."""
