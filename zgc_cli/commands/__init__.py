"""The commands, one module per family; cli.py gathers their `commands` into the app."""
