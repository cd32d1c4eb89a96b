"""A small, dependency-free SVG line chart of weekly scores, for self-contained HTML reports.

No scripts, no web fonts, no external references: the chart renders the same offline, in a
browser, in an e-mail client and when printed. Coordinates are rounded to 0.1 px so the
output is byte-identical for the same input.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape


@dataclass(frozen=True, slots=True)
class Point:
    week: date               # the week's Monday
    value: float | None      # 0-100; None: nothing that week (the line breaks)
    label: str = ""          # tooltip text


@dataclass(frozen=True, slots=True)
class Marker:
    day: date
    label: str


WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 20, 54, 44


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def week_chart(points: list[Point], *, title: str, markers: list[Marker] = (),
               threshold: float | None = None, threshold_label: str = "pass mark",
               width: int = WIDTH, height: int = HEIGHT) -> str:
    """Weekly values (0-100) as points joined by a line, one x position per week, with a
    dashed threshold line and a vertical line for each marker day."""
    if not points:
        raise ValueError("a chart needs at least one week")
    first = points[0].week
    span = (points[-1].week + timedelta(days=7) - first).days
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def x(day: date, offset: float = 0.0) -> float:
        return LEFT + plot_w * ((day - first).days + offset) / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    e = escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">',
           f"<title>{e(title)}</title>",
           f'<text x="{LEFT}" y="16" font-size="13" font-weight="600" fill="#1f2328">'
           f"{e(title)}</text>"]
    # y axis: gridlines every 25 points
    for v in (0, 25, 50, 75, 100):
        out.append(f'<line class="grid" x1="{LEFT}" y1="{_f(y(v))}" x2="{width - RIGHT}" '
                   f'y2="{_f(y(v))}" stroke="#d0d7de" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{_f(y(v) + 4)}" text-anchor="end" '
                   f'fill="#59636e">{v}%</text>')
    out.append(f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" '
               f'stroke="#59636e" stroke-width="1"/>')
    out.append(f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{width - RIGHT}" '
               f'y2="{TOP + plot_h}" stroke="#59636e" stroke-width="1"/>')
    # x axis: a tick per week, a label on at most ~10 of them
    every = max(1, -(-len(points) // 10))
    for i, p in enumerate(points):
        px = x(p.week)
        out.append(f'<line x1="{_f(px)}" y1="{TOP + plot_h}" x2="{_f(px)}" '
                   f'y2="{TOP + plot_h + 4}" stroke="#59636e" stroke-width="1"/>')
        if i % every == 0:
            out.append(f'<text x="{_f(px)}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                       f'fill="#59636e">{p.week:%b %d}</text>')
    out.append(f'<text x="{_f(LEFT + plot_w / 2)}" y="{height - 6}" text-anchor="middle" '
               f'fill="#59636e">week starting (Monday)</text>')
    if threshold is not None:
        ty = _f(y(threshold))
        out.append(f'<line class="threshold" x1="{LEFT}" y1="{ty}" x2="{width - RIGHT}" '
                   f'y2="{ty}" stroke="#bf8700" stroke-width="1.5" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{width - RIGHT}" y="{_f(y(threshold) - 4)}" text-anchor="end" '
                   f'fill="#9a6700">{e(threshold_label)} {_f(threshold)}%</text>')
    last_x, raised = None, False
    for m in sorted(markers, key=lambda m: m.day):
        mx = x(m.day, 0.5)
        # a label close to the previous one goes up a line, so neighbours stay readable
        raised = last_x is not None and mx - last_x < 48 and not raised
        last_x = mx
        ly = TOP - (21 if raised else 9)
        out.append(f'<g class="session" data-day="{m.day.isoformat()}">'
                   f'<line x1="{_f(mx)}" y1="{ly + 3}" x2="{_f(mx)}" y2="{TOP + plot_h}" '
                   f'stroke="#8250df" stroke-width="1.5" stroke-dasharray="3 3"/>'
                   f'<text x="{_f(mx)}" y="{ly}" text-anchor="middle" fill="#8250df">'
                   f"{e(m.label)}</text></g>")
    # the line breaks across weeks without a value, so a gap is never drawn as a trend
    segment: list[str] = []
    segments: list[list[str]] = []
    for p in points:
        if p.value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{_f(x(p.week, 3.5))},{_f(y(p.value))}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            out.append(f'<polyline class="series" points="{" ".join(seg)}" fill="none" '
                       f'stroke="#0969da" stroke-width="2"/>')
    for p in points:
        if p.value is not None:
            out.append(f'<circle cx="{_f(x(p.week, 3.5))}" cy="{_f(y(p.value))}" r="3.5" '
                       f'fill="#0969da"><title>{e(p.label)}</title></circle>')
    out.append("</svg>")
    return "\n".join(out)
