"""An assessment report as files: an XLSX workbook (the ranking, each indicator's value,
sample and points, and a chart of the totals) and a printable PDF addressed to the provincial
leadership (WeasyPrint, charts drawn as SVG)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .assessment import Report


def _value(value: float | None, code: str) -> str:
    if value is None:
        return "—"
    if code in ("answer_rate", "help", "truthfulness"):
        return f"{value:.0%}"
    if code in ("satisfaction", "answer_time"):
        return f"{value:.2f}"
    return f"{value:.0f}"


def table(report: Report) -> tuple[list[str], list[list]]:
    """The ranking as a sheet's rows: rank, committee, total, change, then per indicator its
    value, sample and points."""
    headers = [_("Rank"), _("Committee"), _("Total"), _("Change on the previous period")]
    for indicator, weight in report.indicators:
        headers += [
            f"{indicator.label}（{weight:g}）",
            _("%(indicator)s: sample") % {"indicator": indicator.label},
            _("%(indicator)s: points") % {"indicator": indicator.label},
        ]
    rows = []
    for row in report.rows:
        line: list = [row.rank, row.committee.title, row.total, row.change]
        for indicator, _weight in report.indicators:
            cell = row.cells[indicator.code]
            line += [_value(cell.value, indicator.code), cell.sample, cell.points]
        rows.append(line)
    return headers, rows


def as_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    sheet = book.active
    sheet.title = _("Assessment")[:31]
    sheet.append([title(report)])
    sheet.append(
        [
            _("Standard v%(version)s, in force from %(day)s")
            % {"version": report.standard.version, "day": report.standard.effective_from}
        ]
    )
    headers, rows = table(report)
    sheet.append(headers)
    for line in rows:
        sheet.append(line)
    if rows:
        chart = BarChart()
        chart.title = _("Total")
        chart.add_data(
            Reference(sheet, min_col=3, min_row=3, max_row=3 + len(rows)), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=2, min_row=4, max_row=3 + len(rows)))
        sheet.add_chart(chart, f"B{len(rows) + 6}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def title(report: Report) -> str:
    return _("%(node)s: the Youth Voice assessment of %(term)s") % {
        "node": report.node.name,
        "term": report.term.label,
    }


def bars(report: Report, *, width: int = 640, bar: int = 18) -> dict:
    """The totals as horizontal bars for the PDF's SVG chart."""
    label_width = 150
    scale = (width - label_width - 50) / 100
    return {
        "width": width,
        "height": bar * 1.5 * len(report.rows) + 10,
        "label_x": label_width - 6,
        "bars": [
            {
                "y": 5 + i * bar * 1.5,
                "text_y": 5 + i * bar * 1.5 + bar * 0.75,
                "x": label_width,
                "width": max(row.total * scale, 1),
                "height": bar,
                "name": row.committee.title,
                "total": row.total,
                "value_x": label_width + max(row.total * scale, 1) + 4,
            }
            for i, row in enumerate(report.rows)
        ],
    }


def cells_of(report: Report) -> list[tuple]:
    """Each row with its cells in the indicators' order (for the pages and the PDF)."""
    return [(row, [row.cells[i.code] for i, _w in report.indicators]) for row in report.rows]


def as_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reporting/assessment_pdf.html",
        {
            "report": report,
            "title": title(report),
            "rows": cells_of(report),
            "chart": bars(report),
            "made_at": timezone.localtime(),
            "leadership": leadership(report),
        },
    )
    return HTML(string=html).write_pdf()


def leadership(report: Report) -> str:
    """Whom the report is addressed to: the node's Party leadership (中共…委员会)."""
    name = report.node.name.removeprefix("共青团").removesuffix("委")
    if not name or report.node.level == "central":
        return _("The Central Committee of the Communist Party of China")
    return _("The Communist Party Committee of %(place)s") % {"place": name}


FILES = {
    "pdf": ("application/pdf", as_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx),
}


def download(report: Report, fmt: str) -> HttpResponse:
    """The report as an attachment in ``fmt`` (one of ``FILES``)."""
    content_type, render_file = FILES[fmt]
    response = HttpResponse(render_file(report), content_type=content_type)
    name = f"assessment-{report.node.code}-{report.term.code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
