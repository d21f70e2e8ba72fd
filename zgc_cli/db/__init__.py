"""The database layer, the only code that imports DuckDB (inside functions, never at import):
statement (NamedSQL, CheckedSQL), engine (DuckDB and its errors), snapshot (the read-only
copy), sandbox (the seal, the statement check), guard (deadline, Ctrl-C, memory bound),
connection (Database), export (DuckDB's COPY writer). Import the submodule you need."""
