"""The leaderboard as one static, self-contained HTML page (``index.html``).

* UTF-8; the plots are embedded as ``data:image/png`` URIs, so the single file can be mailed,
  archived or served from anywhere.
* No script at all, and a Content-Security-Policy that forbids scripts and every outside
  resource: even a value that slipped past escaping could not run or load anything.
* Every value from a submission is HTML-escaped; a text containing Arabic is put in
  ``dir="rtl" lang="ar"`` (tables cells and list items), other submitted text in ``dir="auto"``
  isolation, so mixed Arabic/Latin names read correctly inside the left-to-right page.
* Metadata URLs (``http(s)://`` only, checked by :mod:`~benchmark.leaderboard.metadata`) become
  ``rel="nofollow noopener noreferrer"`` links.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from benchmark.leaderboard.board import BoardRow, Leaderboard, TaskBoard, has_arabic
from benchmark.leaderboard.discovery import Rejection
from benchmark.leaderboard.formatting import comparison_mark, fmt_interval
from benchmark.leaderboard.plots import Plot

__all__ = ["render_html"]

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

STYLE = """
body { font-family: "DejaVu Sans", "Noto Sans", "Noto Naskh Arabic", Arial, sans-serif; margin: 2em auto;
       max-width: 1200px; padding: 0 1em; color: #1b1b1b; line-height: 1.45; }
h1 { margin-bottom: .2em; } h2 { border-bottom: 2px solid #1f4e79; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.95em; }
th, td { border: 1px solid #c9d3dd; padding: .35em .6em; vertical-align: top; }
th { background: #eaf1f8; text-align: start; }
td.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.rank { text-align: center; font-weight: bold; }
tr.shared td.rank { color: #6b6b6b; }
td.tied { color: #8a5a00; } td.sig { color: #1b5e20; }
td[dir="rtl"], li[dir="rtl"] { font-size: 1.08em; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #e0e0e0; }
figcaption { color: #555; font-size: .9em; }
.note { color: #555; font-size: .92em; }
ol.reasons { margin: .2em 0 .8em 0; }
code { background: #f3f3f3; padding: 0 .25em; }
"""


def _text(value: str | None) -> str:
    """Escaped submitted text, isolated so it cannot reorder the text around it."""
    if not value:
        return ""
    if has_arabic(value):
        return f'<bdi dir="rtl" lang="ar">{escape(value)}</bdi>'
    return f'<bdi dir="auto">{escape(value)}</bdi>'


def _cell(value: str | None, css: str = "") -> str:
    """A table cell holding submitted text: right-to-left when it has Arabic."""
    attrs = f' class="{css}"' if css else ""
    if value and has_arabic(value):
        return f'<td{attrs} dir="rtl" lang="ar">{escape(value)}</td>'
    return f"<td{attrs}>{_text(value)}</td>"


def _system_cell(row: BoardRow) -> str:
    name = row.display_name
    rtl = ' dir="rtl" lang="ar"' if has_arabic(name) else ""
    label = escape(name)
    if row.info.url:
        label = f'<a href="{escape(row.info.url, quote=True)}" rel="nofollow noopener noreferrer">{label}</a>'
    extra = "" if name == row.system_id else f'<br><code dir="ltr">{escape(row.system_id)}</code>'
    title = f' title="{escape(row.info.description, quote=True)}"' if row.info.description else ""
    return f'<td class="system"{rtl}{title}>{label}{extra}</td>'


def _mark_cell(row: BoardRow, against: str) -> str:
    mark = comparison_mark(row, against)
    if not mark:
        return '<td class="num"></td>'
    return f'<td class="num {"tied" if mark.startswith("≈") else "sig"}">{escape(mark)}</td>'


def _rejections(rejections: Sequence[Rejection]) -> str:
    items = []
    for rejection in rejections:
        system = f" (system {_text(rejection.system_id)})" if rejection.system_id else ""
        reasons = "".join(f"<li>{_text(reason)}</li>" for reason in rejection.reasons)
        listing = "ul" if rejection.self_numbered else "ol"
        items.append(f'<li><code dir="auto">{escape(rejection.where)}</code>{system}'
                     f'<{listing} class="reasons">{reasons}</{listing}></li>')
    return f'<ul class="rejections">{"".join(items)}</ul>'


def _figure(plot: Plot, out_dir: Path) -> str:
    data = base64.b64encode((out_dir / plot.path).read_bytes()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(plot.caption, quote=True)}">'
            f"<figcaption>{escape(plot.caption)}</figcaption></figure>")


def _task_section(board: TaskBoard, plots: Sequence[Plot], out_dir: Path) -> str:
    confidence = f"{round(board.confidence * 100)}%"
    parts = [f'<section id="task-{escape(board.task)}"><h2>{escape(board.task)} '
             f'<small>version {escape(board.version)}</small></h2>',
             f'<p class="note">Ranked by <b>{escape(board.headline)}</b> '
             f"({'higher' if board.higher_is_better else 'lower'} is better), in percent with {confidence} "
             f"bootstrap confidence intervals ({board.n_resamples} resamples of the documents). Dataset "
             f"revision <code>{escape(board.dataset_revision)}</code>.</p>"]
    if board.rows:
        head = ("<tr><th>Rank</th><th>System</th><th>Team</th><th>Model</th>"
                f"<th>{escape(board.headline)} [{confidence} CI]</th><th>vs above</th><th>vs top</th>"
                "<th>Docs</th></tr>")
        body = []
        for row in board.rows:
            shared = " shared" if row.placement.rank != row.placement.position else ""
            body.append(
                f'<tr class="system-row{shared}" data-system="{escape(row.system_id, quote=True)}" '
                f'data-rank="{row.placement.rank}"><td class="rank">{row.placement.rank}</td>'
                f"{_system_cell(row)}{_cell(row.info.team)}{_cell(row.info.model)}"
                f'<td class="num">{escape(fmt_interval(row.headline))}</td>'
                f'{_mark_cell(row, "above")}{_mark_cell(row, "top")}'
                f'<td class="num">{row.counts.get("documents", "")}</td></tr>')
        parts.append(f'<table class="board" id="board-{escape(board.task)}"><thead>{head}</thead>'
                     f"<tbody>{''.join(body)}</tbody></table>")
        parts.append(f'<p class="note">≈: the paired bootstrap test finds no significant difference '
                     f"(p ≥ {board.alpha}); systems also not distinguishable from the first of their group "
                     f"share a rank. ≠: significant at {board.alpha}.</p>")
        if board.labels:
            label_head = "".join(f"<th>{escape(label)}</th>" for label in board.labels)
            label_rows = "".join(
                f"<tr>{_cell(row.display_name)}"
                + "".join(f'<td class="num">{escape(fmt_interval(row.per_label[label]))}</td>'
                          if label in row.per_label else '<td class="num">–</td>' for label in board.labels)
                + "</tr>" for row in board.rows)
            parts.append(f"<h3>{escape(board.per_label_metric)} per label [{confidence} CI]</h3>"
                         f'<table class="per-label"><thead><tr><th>System</th>{label_head}</tr></thead>'
                         f"<tbody>{label_rows}</tbody></table>")
        parts.extend(_figure(plot, out_dir) for plot in plots)
    else:
        parts.append("<p>No submission could be scored for this task.</p>")
    if board.rejections:
        parts.append(f"<h3>Refused submissions</h3>{_rejections(board.rejections)}")
    parts.append("</section>")
    return "\n".join(parts)


def render_html(board: Leaderboard, plots: Mapping[str, Sequence[Plot]], out_dir: Path) -> str:
    """The page; ``plots`` paths are relative to ``out_dir`` and are embedded as data URIs."""
    nav = " · ".join(f'<a href="#task-{escape(b.task)}">{escape(b.task)}</a>' for b in board.boards)
    sections = [_task_section(b, plots.get(b.task, ()), out_dir) for b in board.boards]
    if board.rejections:
        sections.append(f'<section id="refused"><h2>Refused submissions (no task)</h2>'
                        f"{_rejections(board.rejections)}</section>")
    for title, anchor, items in (
        ("Submissions for tasks not on this board", "not-requested", board.not_requested),
        ("Files not read", "ignored", board.ignored),
    ):
        if items:
            listed = "".join(f'<li><code dir="auto">{escape(where)}</code>: {_text(why)}</li>'
                             for where, why in items)
            sections.append(f'<section id="{anchor}"><h2>{title}</h2><ul>{listed}</ul></section>')
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Khabar leaderboard</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>Khabar leaderboard <span lang="ar" dir="rtl">لوحة خبر</span></h1>
<p class="note">Generated {escape(board.generated)} by khabar {escape(board.package_version)}.
Tasks: {nav}</p>
</header>
{chr(10).join(sections)}
</body>
</html>
"""
