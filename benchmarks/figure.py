"""A figure: one zgc command beside its baseline, run alternately, and the table row it makes."""

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
    (which of the two goes first flips every round)."""
    for figure in figures:
        measure.run(figure.argv, figure.sink, env)
        measure.run(figure.baseline, figure.baseline_sink or figure.sink, env)
    for round_ in range(runs):
        for figure in figures:
            pair: list[tuple[list[str], measure.Sink, list[measure.Sample]]] = [
                (figure.argv, figure.sink, figure.samples),
                (figure.baseline, figure.baseline_sink or figure.sink, figure.base_samples),
            ]
            for argv, sink, into in pair if round_ % 2 == 0 else pair[::-1]:
                into.append(measure.run(argv, sink, env))
        log(f"  round {round_ + 1}/{runs} done")


def ratio(figure: Figure) -> float:
    """zgc's median over the baseline's."""
    return measure.median_ms(figure.samples) / measure.median_ms(figure.base_samples)


def verdict(figure: Figure) -> bool | None:
    """Whether every target of the figure is met; None for an informational figure."""
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


def table(figures: list[Figure], title: str) -> str:
    head = (
        f"| figure | zgc {measure.SPREAD} | baseline | baseline {measure.SPREAD} "
        "| ratio of medians | target | zgc peak RSS MB | baseline peak RSS MB | met |"
    )
    lines = [f"### {title}", "", head, "|" + "---|" * 9]
    for f in figures:
        lines.append(
            f"| {f.name} | {measure.spread_ms(f.samples)} | {f.baseline_name} | "
            f"{measure.spread_ms(f.base_samples)} | {ratio(f):.2f} | {target_text(f)} | "
            f"{measure.peak_mb(f.samples):,.0f} | {measure.peak_mb(f.base_samples):,.0f} | "
            f"{met_text(f)} |"
        )
    lines.append(
        f"\n({len(figures[0].samples)} runs of each command after a warm-up, alternating with "
        "its baseline; the target applies to the ratio of medians)"
    )
    return "\n".join(lines)
