"""Build the .docx prep document of tests/data/layouts_invented/tuned/.

Run with the project venv:  .venv/bin/python tests/data/make_invented_docx.py
It writes backdrop_steps.docx: a title, a note, then a heading per story whose parts
are paragraphs led by a bold label of the author's own (Backdrop, Ask, Steps, Effect).
Paragraphs are numbered in order from 1, so the story headings are lines 3 and 8.
"""
from pathlib import Path

from docx import Document

OUT = Path(__file__).parent / "layouts_invented" / "tuned" / "backdrop_steps.docx"

STORIES = [
    (
        "Replacing the paper safety audits",
        [
            ("Backdrop:", "Our three warehouses ran their monthly safety audits on paper, and findings took weeks to reach the people who could fix them."),
            ("Ask:", "The regional manager asked me to get findings to the right person within a day, with no new budget."),
            ("Steps:", "I built a form on the tablets we already had, routed each finding type to an owner, and trained the auditors during their normal shift handovers."),
            ("Effect:", "Findings now reach an owner the same day, open findings fell by two thirds in a quarter, and the other regions adopted the form."),
        ],
    ),
    (
        "Winning back a supplier we had upset",
        [
            ("Backdrop:", "A packaging supplier was about to drop us after we paid their invoices late three months in a row."),
            ("Ask:", "I had to keep them, because switching would have stopped two production lines for a month."),
            ("Steps:", "I called their finance lead, found our approval chain had an invoice sitting with someone on leave, fixed the routing, and paid the overdue invoices that week."),
            ("Effect:", "They stayed, gave us back our old payment terms and we have paid on time every month since."),
        ],
    ),
]


def main() -> None:
    document = Document()
    document.add_paragraph("Operations stories - Lena Fischer", style="Title")
    document.add_paragraph("My own four headings for each story.")
    for title, parts in STORIES:
        document.add_heading(title, level=2)
        for label, text in parts:
            paragraph = document.add_paragraph()
            paragraph.add_run(label).bold = True
            paragraph.add_run(" " + text)
    document.save(OUT)


if __name__ == "__main__":
    main()
