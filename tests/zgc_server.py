"""zgc for the tests, one process for many commands (conftest's `zgc_served`): each request
line (JSON: args, input, the whole environment, cwd) runs `zgc_cli.cli.main` with fresh
pipes on descriptors 0, 1 and 2, as a process of its own has them, and answers a line: the
exit code, stdout and stderr."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import sys
import tempfile
import threading

from zgc_cli.cli import main


def drained(fd: int, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(fd, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                into.append(chunk)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def fed(fd: int, data: bytes) -> None:
    def write() -> None:
        # zgc may refuse the input before reading all of it
        with open(fd, "wb", buffering=0) as stream, contextlib.suppress(BrokenPipeError):
            stream.write(data)

    threading.Thread(target=write, daemon=True).start()


def run_one(request: dict[str, object]) -> bytes:
    os.environ.clear()
    os.environ.update(request["env"])  # type: ignore[call-overload]
    tempfile.tempdir = None  # found again from this command's TMPDIR, as a new process does
    os.chdir(str(request["cwd"]))
    given = request["input"]
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    if given is None:
        in_r = os.open(os.devnull, os.O_RDONLY)
    else:
        in_r, in_w = os.pipe()
        fed(in_w, base64.b64decode(str(given)))
    for fd, target in ((in_r, 0), (out_w, 1), (err_w, 2)):
        os.dup2(fd, target)
        os.close(fd)
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [drained(out_r, out), drained(err_r, err)]
    # The standard streams of a new process, as long-lived as the command
    sys.stdin = io.TextIOWrapper(open(0, "rb", closefd=False), encoding="utf-8")  # noqa: SIM115
    sys.stdout = io.TextIOWrapper(open(1, "wb", closefd=False), encoding="utf-8")  # noqa: SIM115
    sys.stderr = io.TextIOWrapper(
        open(2, "wb", closefd=False),  # noqa: SIM115
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )
    code: object = 0
    try:
        main(list(request["args"]))  # type: ignore[call-overload]
    except SystemExit as exc:
        code = exc.code
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    null = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):  # the pipes' last write ends: the readers see their end
        os.dup2(null, target)
    os.close(null)
    for reader in readers:
        reader.join(timeout=60)
    answer = {
        "code": code if isinstance(code, int) else 1,
        "out": base64.b64encode(b"".join(out)).decode(),
        "err": base64.b64encode(b"".join(err)).decode(),
    }
    return json.dumps(answer).encode() + b"\n"


def serve() -> None:
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    for line in requests:
        answers.write(run_one(json.loads(line)))
        answers.flush()


if __name__ == "__main__":
    serve()
