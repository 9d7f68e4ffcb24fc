"""Supplier questionnaires: the open questions of a rollup or a trace, per supplier, and their answers.

Questions go out as CSV (for mail merge: one row per question, with empty ``answer``, ``answered_by`` and
``answered_on`` columns) or as a printable HTML page per supplier, in the question-and-answer form of
Supplement No. 1 to part 734. Answers to a BOM's questions come back in the same CSV and settle the BOM's
open cells (origin, ECCN, discrete product): the answered BOM is a new BOM (a new ID, since its content
changed), and the answers are kept with it -- who answered, when, and which BOM they answered.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from jinja2 import Environment, select_autoescape

from earcheck.model import Rollup
from earcheck.supplychain.bom import Bom, BomError, BomProblem, parse_bom

__all__ = ["Answer", "Question", "apply_answers", "bom_questions", "questions_csv", "questions_html", "read_answers"]

COLUMNS = ("question_id", "organisation", "subject", "field", "question", "answer", "answered_by", "answered_on")
_ROW_FIELD = re.compile(r"\.bom\.row\[(?P<row>\d+)\]\.(?P<column>origin|eccn|discrete_product)$")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    organisation: str
    subject: str  # the BOM ID or case the question is about
    field: str
    question: str


@dataclass(frozen=True, slots=True)
class Answer:
    question_id: str
    value: str
    answered_by: str
    answered_on: date


def bom_questions(bom: Bom, result: Rollup) -> list[Question]:
    """The rollup's questions about BOM cells, each addressed to the supplier of the row it concerns."""
    rows = {line.row: line for line in bom.lines}
    out = []
    for fact in result.questions:
        match = _ROW_FIELD.search(fact.field)
        if match is None:
            continue  # a question about the engine's facts, not a BOM cell: the case owner answers it
        line = rows.get(int(match["row"]))
        supplier = (line.supplier if line else None) or "(no supplier named in the BOM)"
        out.append(
            Question(
                f"{result.bom}:row{match['row']}:{match['column']}", supplier, result.bom, fact.field, fact.question
            )
        )
    return out


def questions_csv(questions: Iterable[Question]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for q in questions:
        writer.writerow([q.id, q.organisation, q.subject, q.field, q.question, "", "", ""])
    return out.getvalue()


_HTML = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Export-control questions for {{ organisation }}</title>
<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}h2{font-size:1.1em}.q{margin:1.2em 0}
.a{border-bottom:1px solid #888;height:2.2em}@media print{.page{page-break-after:always}}</style></head><body>
{% for organisation, items in groups %}<section class="page">
<h1>Questions for {{ organisation }}</h1>
<p>To decide whether items you supply make our product subject to the US Export Administration Regulations
(15 CFR 734.4 and Supplement No. 2 to part 734), please answer each question. Leave an answer empty if you do
not know it; do not guess.</p>
{% for q in items %}<div class="q"><h2>Q{{ loop.index }}. {{ q.question }}</h2>
<p><small>{{ q.subject }} &middot; {{ q.field }} &middot; {{ q.id }}</small></p><p>A:</p><div class="a"></div></div>
{% endfor %}<p>Answered by: ______________________ &nbsp; Date: ______________</p></section>{% endfor %}
</body></html>"""
)


def questions_html(questions: Sequence[Question]) -> str:
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(q.organisation, []).append(q)
    return _HTML.render(groups=sorted(groups.items()), organisation=", ".join(sorted(groups)))


def read_answers(path: Path) -> list[Answer]:
    """The answered rows of a questionnaire CSV. Rows without an answer are skipped; an answer without who
    answered it or when is an error (row and column named), since the record must say."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise BomError([BomProblem(None, None, f"cannot read answers: {error}")], str(path)) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("question_id", "answer", "answered_by", "answered_on") if c not in (reader.fieldnames or [])]
    if missing:
        raise BomError([BomProblem(1, c, "required column missing from the header") for c in missing], str(path))
    answers, problems = [], []
    for number, row in enumerate(reader, start=2):
        value = (row.get("answer") or "").strip()
        if not value:
            continue
        who = (row.get("answered_by") or "").strip()
        when = (row.get("answered_on") or "").strip()
        if not who:
            problems.append(BomProblem(number, "answered_by", "missing value: who answered?"))
        try:
            day = date.fromisoformat(when)
        except ValueError:
            problems.append(BomProblem(number, "answered_on", f"not a date (YYYY-MM-DD): {when!r}"))
            continue
        if who:
            answers.append(Answer((row.get("question_id") or "").strip(), value, who, day))
    if problems:
        raise BomError(problems, str(path))
    return answers


def apply_answers(bom: Bom, answers: Sequence[Answer]) -> Bom:
    """``bom`` with the answered cells filled in, each answer checked as the BOM reader checks a cell."""
    by_row: dict[int, dict[str, str]] = {}
    problems = []
    for answer in answers:
        parts = answer.question_id.split(":")
        if len(parts) != 3 or parts[0] != bom.id or not parts[1].startswith("row"):
            problems.append(BomProblem(None, "question_id", f"{answer.question_id!r} is not a question about {bom.id}"))
            continue
        by_row.setdefault(int(parts[1][3:]), {})[parts[2]] = answer.value
    if problems:
        raise BomError(problems)
    header = [
        "part",
        "parent",
        "quantity",
        "unit_value",
        "currency",
        "origin",
        "eccn",
        "supplier",
        "description",
        "integrated_circuit",
        "discrete_product",
    ]
    rows = []
    for line in bom.lines:
        cells = {
            "part": line.part, "parent": line.parent or "", "quantity": str(line.quantity),
            "unit_value": str(line.unit_value), "currency": line.currency, "origin": line.origin or "",
            "eccn": line.eccn or "", "supplier": line.supplier or "", "description": line.description,
            "integrated_circuit": _flag(line.integrated_circuit), "discrete_product": _flag(line.discrete_product),
        }  # fmt: skip
        cells.update(by_row.get(line.row, {}))
        rows.append([cells[c] for c in header])
    answered = parse_bom(header, rows, rates=bom.rates, name=bom.name)
    # Keep the original row numbers: questions and records refer to them.
    return replace(
        answered, lines=tuple(replace(new, row=old.row) for new, old in zip(answered.lines, bom.lines, strict=True))
    )


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")
