"""Build the held-out .docx prep document under tests/data/layouts_fresh_check/.

Run with the project venv:  .venv/bin/python tests/data/make_fresh_docx.py
It writes bold_titles.docx: story titles are bold runs in "Normal" paragraphs (no
heading styles), labels are plain text with a "~" separator. It prints every
paragraph's 1-based index (the `line` used in the truth file) and first characters.
"""
from pathlib import Path

from docx import Document

OUT = Path(__file__).parent / "layouts_fresh_check" / "bold_titles.docx"

STORIES = [
    (
        "Shrinking the app's cold start [Invent and Simplify]",
        [
            ("Context", "Our Android app took 6.5 seconds to open on mid-range phones, and reviews kept mentioning it."),
            ("Actions", "I profiled the start-up path, found we initialised nine SDKs before showing anything, and deferred seven of them until after the first screen was drawn. I also replaced a home-grown image loader with the platform one."),
            ("Result", "Cold start went down to 1.9 seconds and one-star reviews mentioning speed dropped by 80%."),
            ("Learnings", "Measure before arguing about performance; everyone had a different theory and all of them were wrong."),
        ],
    ),
    (
        "Taking over the payments SDK nobody maintained [Ownership]",
        [
            ("Context", "The in-app payments SDK had no owner after a reorg and was two major versions behind the provider's, with a deprecation deadline in four months."),
            ("Actions", "I asked my manager to let me own it, wrote down every place we called it, upgraded it behind a feature flag, and rolled it out to 1%, 10% and then everyone over three weeks."),
            ("Result", "We met the deadline with a month to spare and payment failures went down by 12% with the new version."),
        ],
    ),
    (
        "Telling the designer the animation had to go [Earn Trust]",
        [
            ("Context", "A designer I worked closely with had spent two weeks on an onboarding animation that doubled the size of our first screen's download."),
            ("Actions", "I showed her the numbers on a real low-end phone on a slow network, side by side, and suggested a lighter version we built together that afternoon."),
            ("Result", "The lighter animation shipped, first-screen load stayed under two seconds, and she asked me to review her next prototype early."),
        ],
    ),
]


def build() -> None:
    doc = Document()
    doc.add_paragraph("Android interview prep – LP stories (exported from Google Docs)")
    doc.add_paragraph("Titles in bold, LPs in brackets. Context ~ Actions ~ Result, sometimes Learnings.")
    for title, parts in STORIES:
        doc.add_paragraph("")
        doc.add_paragraph().add_run(title).bold = True
        for label, text in parts:
            doc.add_paragraph(f"{label} ~ {text}")
    doc.save(OUT)
    for number, paragraph in enumerate(Document(OUT).paragraphs, start=1):
        print(number, paragraph.style.name, paragraph.text[:60])


if __name__ == "__main__":
    build()
