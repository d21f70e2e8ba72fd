"""`zgc sql` with no query, on a terminal: a shell over the sealed snapshot. Loaded only when it
starts (prompt_toolkit is imported nowhere else), so every other command starts as before."""
