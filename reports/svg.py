"""Small charts as plain SVG for the PDF and the e-mail: no browser, no image service, nothing fetched.

Every function returns an SVG document as a string with its own title and labels (already translated by
the caller) and the numbers written beside the marks, so a chart is never read by colour alone.
"""

from xml.sax.saxutils import escape

FONT = "DejaVu Sans, sans-serif"
INK, MUTED, LINE, ACCENT = "#212529", "#6c757d", "#dee2e6", "#0b5ed7"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}" font-size="10">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _fmt(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def line_chart(
    *,
    title: str,
    labels: list[str],
    values: list[float | None],
    digits: int = 1,
    width: int = 480,
    height: int = 180,
    number=None,
) -> str:
    """A line over buckets (gaps where a value is missing), each point labelled with its value."""
    number = number or (lambda v: _fmt(v, digits))
    # Many or long labels (stage names) are drawn slanted below the axis so they do not run into each other.
    slanted = len(labels) > 6 or max((len(label) for label in labels), default=0) > 12
    left, right, top, bottom = 40, 40, 24, (80 if slanted else 28)
    height = height + (52 if slanted else 0)
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    step = plot_w / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h * (1 - (v - low) / (high - low))

    body = [
        f'<text x="{left}" y="14" font-size="11" font-weight="bold" fill="{INK}">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{LINE}"/>',
    ]
    segment: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            if len(segment) > 1:
                body.append(f'<polyline fill="none" stroke="{ACCENT}" stroke-width="2" points="{" ".join(segment)}"/>')
            segment = []
            continue
        x, y = xy(i, v)
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{ACCENT}"/>')
        body.append(f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" fill="{INK}">{escape(number(v))}</text>')
    if len(segment) > 1:
        body.append(f'<polyline fill="none" stroke="{ACCENT}" stroke-width="2" points="{" ".join(segment)}"/>')
    for i, label in enumerate(labels):
        x = left + i * step
        if slanted:
            y = top + plot_h + 12
            turn = f'transform="rotate(-35 {x:.1f} {y})"'
            attrs = f'x="{x:.1f}" y="{y}" text-anchor="end" {turn} fill="{MUTED}" font-size="8"'
        else:
            attrs = f'x="{x:.1f}" y="{height - 10}" text-anchor="middle" fill="{MUTED}" font-size="8"'
        body.append(f"<text {attrs}>{escape(label)}</text>")
    return _svg(width, height, body, title)


def bar_chart(
    *, title: str, labels: list[str], values: list[float | None], width: int = 480, bar_height: int = 16, number=None
) -> str:
    """Horizontal bars (e.g. response rate per campaign, 0–100), each with its value written at its end."""
    number = number or (lambda v: _fmt(v, 1))
    label_w, top = 170, 24
    height = top + len(values) * (bar_height + 6) + 6
    known = [abs(v) for v in values if v is not None]
    scale = max(known + [100.0]) if known and max(known) > 100 else 100.0
    plot_w = width - label_w - 50
    body = [f'<text x="0" y="14" font-size="11" font-weight="bold" fill="{INK}">{escape(title)}</text>']
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_height + 6)
        short = label if len(label) <= 32 else label[:31] + "…"
        body.append(f'<text x="0" y="{y + bar_height - 4}" fill="{INK}">{escape(short)}</text>')
        w = 0 if v is None else max(plot_w * max(v, 0) / scale, 1)
        body.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{ACCENT}"/>')
        body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height - 4}" fill="{INK}">{escape(number(v))}</text>')
    return _svg(width, height, body, title)
