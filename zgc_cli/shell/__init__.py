"""`zgc sql` with no query, on a terminal: an interactive shell over the sealed snapshot.

Loaded only when the shell starts (prompt_toolkit is imported nowhere else), so every other
command starts as before. repl.py runs the session, statements.py finds where statements end,
completion.py completes SQL, views, columns and values, dot.py parses the dot commands.
"""
