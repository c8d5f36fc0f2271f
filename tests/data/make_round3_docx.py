"""Build the round-3 .docx prep document under tests/data/layouts_round3/.

Run with the project venv:  .venv/bin/python tests/data/make_round3_docx.py
It writes story_table.docx: a title, a note, then a Word table with a row per story
(Story | Leadership Principles | Situation | Action | Result) and a closing note.
Body elements are numbered in order, a table counting one per row, so the header row
is line 3 and the stories are lines 4-6.
"""
from pathlib import Path

from docx import Document

OUT = Path(__file__).parent / "layouts_round3" / "story_table.docx"

HEADER = ("Story", "Leadership Principles", "Situation", "Action", "Result")
ROWS = [
    (
        "Recovering the lost sensor data",
        "Ownership, Dive Deep",
        "A firmware update on our field sensors silently stopped uploading humidity readings for 3,000 farms for eleven days.",
        "I traced the gap to a changed field name in the upload payload, wrote a script that pulled the readings still cached on the devices, and backfilled the database overnight.",
        "We recovered 96% of the missing data and added a schema check to the release pipeline.",
    ),
    (
        "Hiring the first support engineer",
        "Hire and Develop the Best",
        "Our developers were answering customer tickets and losing a day a week to it.",
        "I wrote the role description with two customers' help, ran a practical exercise based on real tickets, and mentored the new hire for her first month.",
        "Developer time on tickets dropped by 80% and she now leads a team of three.",
    ),
    (
        "Saying no to the weekend release",
        "Insist on the Highest Standards",
        "Sales wanted a new dashboard released on a Friday evening before a trade show, with half the tests still failing.",
        "I showed the failing cases to the sales lead, offered a recorded demo for the show instead, and we released on Tuesday after the fixes.",
        "The show went well with the demo, and the release had no incidents.",
    ),
]


def main() -> None:
    document = Document()
    document.add_paragraph("Behavioural prep - Omar Haddad (IoT platform lead)", style="Title")
    document.add_paragraph("All my stories in one table so I can scan them before the loop.")
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for row in ROWS:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    document.add_paragraph("Still to write: a story for Frugality.")
    document.save(OUT)


if __name__ == "__main__":
    main()
