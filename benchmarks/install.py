"""The install group: the same speed on every install, not only the locked one.

Venv A is `pip install <repo root>`, resolved by pip without uv.lock (whatever a user would
get from the pyproject bounds); venv B is the same with `pip install typer==0.29.2` forced over
it, the typer that builds a pydantic TypeAdapter for every parameter (the alternative issue 12
rejected). Each venv's `zgc parks` is measured against the floor run by that venv's own Python
(import typer + _duckdb, attach that zgc's copy), and we say which typer each venv has and
whether `zgc parks` imported pydantic. A must meet its target; B is informational.

The venvs are cached per pyproject.toml (its hash names the folder); they hold zgc as it was
when they were made, so pass --fresh after changing zgc_cli/.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from benchmarks import floor, measure, venvs
from benchmarks.figure import Figure, failed_cell, markdown, met, ratio, verdict

TYPER_B = "typer==0.29.2"
TARGET_A = 1.15


@dataclass
class Install:
    label: str
    how: str
    venv: Path
    figure: Figure
    typer: str = ""
    pydantic: bool = False


def environments(root: Path, log: Callable[[str], None], *, fresh: bool = False) -> list[Path]:
    home = venvs.HOME / f"install-{venvs.file_hash(root / 'pyproject.toml')}"
    for stale in venvs.HOME.glob("install-*"):  # made for an earlier pyproject.toml
        if stale != home and stale.is_dir():
            log(f"removing {stale} (made for another pyproject.toml)")
            shutil.rmtree(stale, ignore_errors=True)
    a = venvs.cached(home / "A", [[str(root)]], log, fresh=fresh)
    b = venvs.cached(home / "B", [[str(root)], [TYPER_B]], log, fresh=fresh)
    return [a, b]


def installs(
    made: list[Path],
    sql: str,
    params: Mapping[str, object],
    env: Mapping[str, str],
    log: Callable[[str], None],
) -> list[Install]:
    """A and B with their figures; each venv's `zgc parks` has run once, so its copy exists."""
    out = []
    for venv, label, how, target in zip(
        made,
        ("A", "B"),
        ("pip install <repo root>", f"A, then pip install {TYPER_B}"),
        (TARGET_A, None),
        strict=True,
    ):
        zgc = venvs.script_of(venv, "zgc")
        python = venvs.python_of(venv)
        log(f"venv {label}: warm-up `zgc parks` (builds its copy)")
        measure.run([zgc, "parks"], "pipe", env)
        copy = floor.require_copy(floor.copy_path_of(python, env), f"{label}'s `zgc parks`")
        figure = Figure(
            f"{label}: zgc parks (piped)",
            [zgc, "parks"],
            floor.argv(python, copy, sql, params),
            f"typer + engine ({label}'s python)",
            target,
        )
        out.append(
            Install(
                label,
                how,
                venv,
                figure,
                typer=venvs.version_in(python, "typer", env),
                pydantic=venvs.imported_by(python, ["-m", "zgc_cli", "parks"], "pydantic", env),
            )
        )
    return out


def table(made: list[Install]) -> str:
    head = ["venv", "made with", "typer", "pydantic imported", f"zgc {measure.SPREAD}"]
    head += [f"floor {measure.SPREAD}", "ratio of medians", "target", "met"]
    rows = []
    for each in made:
        f = each.figure
        rows.append(
            [
                each.label,
                each.how,
                each.typer,
                "yes" if each.pydantic else "no",
                failed_cell(f) if f.failed else measure.spread_ms(f.samples),
                measure.spread_ms(f.base_samples),
                f"{ratio(f):.2f}",
                "informational" if f.target is None else f"≤ {f.target:g}",
                met(verdict(f)),
            ]
        )
    note = (
        f"\n({len(made[0].figure.samples)} runs of each command after a warm-up, alternating; "
        f"venvs in {made[0].venv.parent})"
    )
    title = "Install (`zgc parks` piped, each venv against the floor of its own python)"
    return markdown(title, head, rows, note)
