"""A figure: one zgc command beside its baseline, run alternately, and the table row it makes.

A command that fails (a non-zero exit) fails its figure, not the run: the figure's row says
`failed:` with the command's message, it counts as a target not met, and the other figures go
on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from benchmarks import measure


@dataclass
class Figure:
    name: str
    argv: list[str]
    baseline: list[str]
    baseline_name: str
    target: float | None  # zgc's median ≤ target × the baseline's; None: informational
    sink: measure.Sink = "pipe"
    baseline_sink: measure.Sink | None = None
    rss_limit_mb: float | None = None  # absolute peak RSS cap for zgc
    rss_over_baseline_mb: float | None = None  # zgc's peak RSS ≤ baseline's + this
    samples: list[measure.Sample] = field(default_factory=list)
    base_samples: list[measure.Sample] = field(default_factory=list)
    failed: str | None = None  # which command failed, and its message

    @property
    def judged_rss(self) -> bool:
        return self.rss_limit_mb is not None or self.rss_over_baseline_mb is not None

    @property
    def judged(self) -> bool:
        return self.target is not None or self.judged_rss


def run_figures(
    figures: list[Figure], runs: int, env: Mapping[str, str], log: Callable[[str], None]
) -> None:
    """One warm-up of each command, then `runs` rounds alternating zgc and its baseline
    (which of the two goes first flips every round). A figure whose command fails is left out
    of the rounds after it, its samples dropped: it is a failed row, not a number."""
    for round_ in range(-1, runs):  # round -1: the warm-up, not kept
        for figure in figures:
            pair: list[tuple[str, list[str], measure.Sink, list[measure.Sample]]] = [
                ("zgc", figure.argv, figure.sink, figure.samples),
                (
                    "baseline",
                    figure.baseline,
                    figure.baseline_sink or figure.sink,
                    figure.base_samples,
                ),
            ]
            for which, argv, sink, into in pair if round_ % 2 == 0 or round_ < 0 else pair[::-1]:
                if figure.failed is not None:
                    break
                try:
                    sample = measure.run(argv, sink, env)
                except measure.CommandFailed as exc:
                    figure.failed = f"{which} {exc.short}"
                    figure.samples.clear()
                    figure.base_samples.clear()
                    log(f"  {figure.name}: failed: {figure.failed}")
                    break
                if round_ >= 0:
                    into.append(sample)
        if round_ >= 0:
            log(f"  round {round_ + 1}/{runs} done")


def ratio(figure: Figure) -> float:
    """zgc's median over the baseline's."""
    return measure.median_ms(figure.samples) / measure.median_ms(figure.base_samples)


def verdict(figure: Figure) -> bool | None:
    """Whether every target of the figure is met; None for an informational figure. A failed
    figure meets none."""
    if figure.failed is not None:
        return False
    if not figure.judged:
        return None
    return (figure.target is None or ratio(figure) <= figure.target) and rss_ok(figure)


def rss_ok(figure: Figure) -> bool:
    peak = measure.peak_mb(figure.samples)
    if figure.rss_limit_mb is not None and peak > figure.rss_limit_mb:
        return False
    over = figure.rss_over_baseline_mb
    return over is None or peak <= measure.peak_mb(figure.base_samples) + over


def met(ok: bool | None) -> str:
    return "—" if ok is None else "yes" if ok else "NO"


def met_text(figure: Figure) -> str:
    """yes / NO / — (informational); a figure with a time and an RSS target says which of
    the two it missed."""
    ok = verdict(figure)
    if figure.failed is not None:
        return "NO (failed)"
    if ok is not False or figure.target is None or not figure.judged_rss:
        return met(ok)
    missed = []
    if ratio(figure) > figure.target:
        missed.append("time")
    if not rss_ok(figure):
        missed.append("RSS")
    return f"NO ({', '.join(missed)})"


def target_text(figure: Figure) -> str:
    parts = [] if figure.target is None else [f"≤ {figure.target:g}"]
    if figure.rss_limit_mb is not None:
        parts.append(f"RSS ≤ {figure.rss_limit_mb:g} MB")
    if figure.rss_over_baseline_mb is not None:
        parts.append(f"RSS ≤ base + {figure.rss_over_baseline_mb:g} MB")
    return ", ".join(parts) or "none (informational)"


def markdown(title: str, head: list[str], rows: list[list[str]], note: str = "") -> str:
    """A table in Markdown under `### title`, and `note` after it."""
    lines = [f"### {title}", "", " | ".join(["", *head, ""]).strip(), "|" + "---|" * len(head)]
    lines += [" | ".join(["", *row, ""]).strip() for row in rows]
    return "\n".join(lines + ([note] if note else []))


def table(figures: list[Figure], title: str) -> str:
    head = ["figure", f"zgc {measure.SPREAD}", "baseline", f"baseline {measure.SPREAD}"]
    head += ["ratio of medians", "target", "zgc peak RSS MB", "baseline peak RSS MB", "met"]
    rows = []
    for f in figures:
        if f.failed is not None:
            cells = [failed_cell(f), f.baseline_name, "—", "—", target_text(f), "—", "—"]
        else:
            cells = [measure.spread_ms(f.samples), f.baseline_name]
            cells += [measure.spread_ms(f.base_samples), f"{ratio(f):.2f}", target_text(f)]
            cells += [
                f"{measure.peak_mb(f.samples):,.0f}",
                f"{measure.peak_mb(f.base_samples):,.0f}",
            ]
        rows.append([f.name, *cells, met_text(f)])
    runs = max(len(f.samples) for f in figures)
    note = (
        f"\n({runs} runs of each command after a warm-up, alternating with its baseline; "
        "the target applies to the ratio of medians)"
    )
    return markdown(title, head, rows, note)


def failed_cell(figure: Figure) -> str:
    """`failed: <which command> exit N: <its last line on stderr>`, safe in a Markdown cell."""
    text = f"failed: {figure.failed}"
    return text.replace("|", "\\|").replace("\n", " ")


def curve_table(points: list[tuple[int, list[Figure]]]) -> str:
    head = ["rows", "csv zgc ms", "csv DuckDB ms", "csv ratio", "csv zgc RSS MB"]
    head += ["agg zgc ms", "agg D ms", "agg ratio", "agg zgc RSS MB"]
    rows = []
    for count, figures in points:
        cells = [f"{count:,}"]
        for f in figures:  # csv, then the aggregate
            if f.failed is not None:
                cells += [failed_cell(f), "—", "—", "—"]
            else:
                cells += [
                    f"{measure.median_ms(f.samples):,.0f}",
                    f"{measure.median_ms(f.base_samples):,.0f}",
                ]
                cells += [f"{ratio(f):.2f}", f"{measure.peak_mb(f.samples):,.0f}"]
        rows.append(cells)
    return markdown("Size curve (indicator rows; medians, peak RSS)", head, rows)
