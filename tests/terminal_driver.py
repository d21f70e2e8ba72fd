"""Run several zgc commands in this one process, on its pseudo-terminal (conftest's
`on_terminals`): argv[1] names a JSON list of [args, columns, rows, extra environment]. After each
command an OSC sequence no terminal shows says its exit code."""

from __future__ import annotations

import json
import os
import struct
import sys
import termios
from fcntl import ioctl

from zgc_cli.cli import main


def run(plans: list[tuple[list[str], int, int, dict[str, str]]]) -> None:
    base = dict(os.environ)  # conftest's child_env, as on_terminal's child has it
    for args, columns, rows, env in plans:
        os.environ.clear()
        os.environ.update(base, COLUMNS=str(columns), LINES=str(rows), **env)
        ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        code: object = 0
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(1, f"\x1b]zgc-case-end;{code if isinstance(code, int) else 1}\x07".encode())


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as listed:
        run(json.load(listed))
