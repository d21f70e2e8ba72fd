"""The database layer, the only code that imports DuckDB (inside functions, never at import).
Import the submodule you need: connection (Database), export (COPY), snapshot, sandbox, guard."""
