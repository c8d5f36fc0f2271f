"""Build the held-out .docx prep document under tests/data/layouts_holdout/.

Run with the project venv:  .venv/bin/python tests/data/make_holdout_docx.py
It writes mech_eng/amazon_prep_notes.docx and prints every paragraph's 1-based
index (the `line` used in the truth file), style and first characters.
"""
from pathlib import Path

from docx import Document

OUT = Path(__file__).parent / "layouts_holdout" / "mech_eng" / "amazon_prep_notes.docx"


def bold_para(doc, text, style=None):
    p = doc.add_paragraph(style=style)
    p.add_run(text).bold = True
    return p


def labelled(doc, label, text):
    p = doc.add_paragraph()
    p.add_run(label).bold = True
    p.add_run(" " + text)
    return p


def build():
    doc = Document()
    doc.add_paragraph("Amazon Robotics - Mechanical Design Engineer - interview prep", style="Title")
    doc.add_paragraph(
        "These are my notes for the onsite on the 9th. I've grouped the answers by leadership "
        "principle and every one is STAR with a number in the result. For context, I have 7 years "
        "designing conveyor and sortation equipment at an automation OEM, and 2 years before that "
        "in automotive tooling."
    )
    doc.add_paragraph("")

    doc.add_heading("Insist on the Highest Standards", level=1)
    bold_para(doc, "Tell me about a time you refused to accept \u201cgood enough\u201d.")
    labelled(doc, "Situation:",
             "We were two weeks from shipping a new tilt-tray sorter to a parcel customer. The "
             "prototype passed the customer's acceptance test, but in our own soak test one tray "
             "hinge in about every 5,000 showed fretting wear after 200 hours.")
    labelled(doc, "Task:",
             "I was the lead mechanical engineer and had to decide whether that was acceptable "
             "for a machine meant to run 20 hours a day for ten years.")
    labelled(doc, "Action:",
             "I argued that it wasn't, even though the test spec said we had passed. I sectioned "
             "three worn hinges, found the bushing tolerance stack allowed a few microns of "
             "movement, and changed to a press-fit bushing with a tighter ream. I ran a new "
             "500 hour soak test and told the customer honestly why delivery would be ten days late.")
    labelled(doc, "Result:",
             "Zero hinge failures in the first two years across 4,000 trays, and the press-fit "
             "design became the standard for every sorter we sold after that.")
    doc.add_paragraph("")

    doc.add_heading("Dive Deep", level=1)
    doc.add_paragraph("Walk me through the hardest root cause analysis you have done.", style="List Number")
    doc.add_paragraph("Principles: Are Right, A Lot")
    labelled(doc, "Situation:",
             "A customer's conveyor line was tripping gearmotor overloads two or three times a "
             "week, always on the night shift. Our field team had replaced three motors and "
             "the trips kept happening.")
    labelled(doc, "Task:",
             "I was sent on site to find the real cause before the customer's peak season.")
    labelled(doc, "Action:",
             "I put a current logger and a temperature logger on the drive for a week and "
             "compared them with the shift pattern. The trips lined up with the building heating "
             "turning off at night: the gearbox oil got cold and thick and the start-up torque "
             "spiked. The oil was a grade meant for a heated plant, which wasnt in the spec sheet.")
    labelled(doc, "Result:",
             "We changed to a low-temperature synthetic oil and added a soft start. No trips in "
             "the following 14 months, and we added ambient temperature to our site survey form.")
    doc.add_paragraph("")

    doc.add_heading("Bias for Action", level=1)
    bold_para(doc, "Tell me about a calculated risk you took.")
    labelled(doc, "Situation:",
             "A supplier told us the cast aluminium brackets for a big order would be eight "
             "weeks late because their foundry had a fire.")
    labelled(doc, "Task:",
             "I needed a bracket that could ship in two weeks without a full requalification.")
    labelled(doc, "Action:",
             "I redesigned the bracket as a bent and welded steel part that our own fab shop "
             "could make, ran an FEA check and a quick static load test on three samples, and "
             "went ahead with production before the formal design review, which I booked for "
             "the following week. I agreed with my manager that if the review found anything, we "
             "would swap the brackets back at our cost.")
    labelled(doc, "Result:",
             "We shipped on time. The review passed with one minor change, and the steel bracket "
             "was 30% cheaper, so we kept it.")
    labelled(doc, "Lessons learned:",
             "A decision that is easy to reverse does not need the same process as one that isn't.")
    doc.add_paragraph("")

    doc.add_heading("Frugality", level=1)
    doc.add_heading("Earn Trust", level=1)
    bold_para(doc, "Describe a conflict with a coworker and how you resolved it.")
    labelled(doc, "Situation:",
             "Our production manager and I argued in almost every design review because she "
             "felt engineering threw drawings over the wall that her team couldnt build.")
    labelled(doc, "Task:",
             "I wanted to fix the relationship, not just win the next review.")
    labelled(doc, "Action:",
             "I spent a day a week for a month on the shop floor building the parts I had "
             "drawn. I found she was right about a lot of it, so I said so in the next review "
             "in front of both teams, and we set up a short build-check with one of her "
             "fitters before every drawing release.")
    labelled(doc, "Result:",
             "Drawing change requests from production dropped by about 60% over the next two "
             "quarters, and she asked for me on her next project.")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    return OUT


def show(path):
    for i, p in enumerate(Document(path).paragraphs, start=1):
        print(f"{i:3d} {p.style.name:15s} {p.text[:70]!r}")


if __name__ == "__main__":
    show(build())
