"""The database layer, the only code that imports DuckDB (inside functions, never at import).

- statement.py: the two kinds of SQL a Database runs (NamedSQL, CheckedSQL)
- engine.py: the DuckDB modules, and DuckDB's errors as ZgcErrors
- snapshot.py: find the snapshot, check it, and its read-only DuckDB copy
- sandbox.py: the sealed connection, and the statement check that returns a CheckedSQL
- guard.py: the deadline, Ctrl-C and the memory bound of each statement
- connection.py: open_database and Database (run named or checked SQL, fetch rows)
- export.py: DuckDB's own csv/jsonl/parquet writer, fed from the sealed connection

Import the submodule you need; this package imports nothing, so naming SQL stays cheap.
"""
