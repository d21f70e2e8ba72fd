"""Cached virtual environments for the peers and install groups, made with `python -m venv`
and pip (no lock file: pip resolves as a user's `pip install` would).

Each venv lives under $TMPDIR/zgc-benchmarks and is marked ready (with the installs it was
made with) only once every install step has succeeded; a half-made one, or one made with other
installs, is removed and made again. `fresh=True` remakes it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

HOME = Path(tempfile.gettempdir()) / "zgc-benchmarks"
READY = ".zgc-benchmarks-ready"
Done = subprocess.CompletedProcess[str]


def python_of(venv: Path) -> str:
    return str(venv / "bin" / "python")


def script_of(venv: Path, name: str) -> str:
    found = venv / "bin" / name
    if not found.exists():
        raise SystemExit(f"benchmarks: {name} is not installed in {venv}")
    return str(found)


def cached(
    venv: Path,
    installs: Sequence[Sequence[str]],
    log: Callable[[str], None],
    *,
    fresh: bool = False,
) -> Path:
    """`venv`, made now unless a finished one is there: `python -m venv`, then one
    `pip install ARGS` per entry of `installs`, in order."""
    marker = venv / READY
    wanted = "\n".join(" ".join(args) for args in installs) + "\n"
    made = marker.read_text() if marker.is_file() else None
    if fresh or made != wanted:
        shutil.rmtree(venv, ignore_errors=True)
        venv.parent.mkdir(parents=True, exist_ok=True)
        log(f"making {venv} (python -m venv, then pip; needs the package index)")
        _check([sys.executable, "-m", "venv", str(venv)])
        pip = [python_of(venv), "-m", "pip", "--disable-pip-version-check", "install", "-q"]
        for args in installs:
            log(f"  pip install {' '.join(args)}")
            _check([*pip, *args])
        marker.write_text(wanted)
    return venv


def _check(argv: Sequence[str]) -> None:
    # pip's own output goes to the harness's stderr: a failed resolve says why.
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=sys.stderr, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmarks: `{' '.join(argv)}` exited {done.returncode}")


def output(argv: Sequence[str], env: Mapping[str, str], *, check: bool = False) -> Done:
    """Run `argv` quietly (no stdin) and keep its text output."""
    return subprocess.run(
        argv, env=dict(env), stdin=subprocess.DEVNULL, capture_output=True, text=True, check=check
    )


def file_hash(path: Path, length: int = 12) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:length]


def version_in(python: str, distribution: str, env: Mapping[str, str]) -> str:
    """`distribution`'s installed version in the venv of `python` ("absent" if none)."""
    script = (
        "import sys\nfrom importlib import metadata\n"
        "try:\n    print(metadata.version(sys.argv[1]))\n"
        "except metadata.PackageNotFoundError:\n    print('absent')\n"
    )
    return output([python, "-c", script, distribution], env, check=True).stdout.strip()


def imported_by(python: str, argv: Sequence[str], package: str, env: Mapping[str, str]) -> bool:
    """Whether running `python -X importtime ARGV` imports `package` (or any of its modules):
    -X importtime writes one stderr line per module imported, `| package.sub` at its end."""
    done = output([python, "-X", "importtime", *argv], env)
    if done.returncode != 0:
        raise SystemExit(
            f"benchmarks: {python} -X importtime {' '.join(argv)} exited {done.returncode}: "
            f"{done.stderr[-500:]}"
        )
    modules = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    ]
    return any(m == package or m.startswith(package + ".") for m in modules)
