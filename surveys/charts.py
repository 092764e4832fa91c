"""Server-rendered SVG geometry for "indicator against target over time" (no JavaScript).

The template draws what this computes; the data table beside each chart carries the same figures for
screen readers and for anyone who would rather read than look.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from surveys.indicators import IndicatorResult

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 52


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str, str]] = field(default_factory=list)
    """(x, quarter, financial year shown under the first quarter of each year or "")."""
    lines: list[str] = field(default_factory=list)
    """SVG polyline point lists for the value, one per unbroken run of shown quarters."""
    points: list[tuple[float, float, str]] = field(default_factory=list)
    intervals: list[tuple[float, float, float]] = field(default_factory=list)
    targets: list[tuple[float, float, float]] = field(default_factory=list)
    """(x1, x2, y) steps, one per quarter that has a target."""
    has_data: bool = False


def _y(percent: float) -> float:
    return round(TOP + (HEIGHT - BOTTOM - TOP) * (1 - percent / 100), 1)


def trend_chart(trend: list[tuple[str, IndicatorResult]]) -> Chart:
    chart = Chart(y_ticks=[(_y(value), f"{value}%") for value in range(0, 101, 20)])
    if not trend:
        return chart
    band = (chart.right - chart.left) / len(trend)
    run: list[str] = []
    for index, (label, figures) in enumerate(trend):
        x = round(chart.left + band * (index + 0.5), 1)
        year, _, quarter = label.partition(" ")
        chart.x_labels.append((x, quarter, year if quarter == "Q1" or index == 0 else ""))
        if figures.target is not None:
            half = band / 2
            chart.targets.append((round(x - half, 1), round(x + half, 1), _y(figures.target.value)))
        if figures.suppressed or figures.percent is None:
            if len(run) > 1:
                chart.lines.append(" ".join(run))
            run = []
            continue
        y = _y(figures.percent)
        run.append(f"{x},{y}")
        chart.points.append((x, y, f"{label}: {figures.percent}%"))
        chart.intervals.append((x, _y(figures.ci_low), _y(figures.ci_high)))
    if len(run) > 1:
        chart.lines.append(" ".join(run))
    chart.has_data = bool(chart.points)
    return chart
