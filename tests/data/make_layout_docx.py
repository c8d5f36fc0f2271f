"""Build the two Word test documents under tests/data/layouts/.

    .venv/bin/python tests/data/make_layout_docx.py

Writes pm_loop_prep.docx (Word heading styles, numbered and bulleted lists, bold labels)
and google_docs_export.docx (no heading styles: bold question paragraphs, plain answers),
then reopens each file and prints every paragraph as ``index<TAB>style<TAB>text`` with the
1-based index into ``document.paragraphs`` that the truth files in
tests/data/layout_truth/ use as ``line``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
OUT = HERE / "layouts"

# (kind, *args):
#   title/h1/h2/p/empty -> style Title / Heading 1 / Heading 2 / Normal / empty Normal
#   bold     -> Normal paragraph whose only run is bold
#   big      -> Normal paragraph, one bold 16pt run (a hand-made title)
#   ital     -> Normal paragraph, one italic run
#   lab      -> Normal paragraph: bold label run + plain text run
#   num      -> "List Number" paragraph (plain)
#   bul      -> "List Bullet" paragraph: bold label run + plain text run ("" label = plain)

PM_LOOP_PREP = [
    ("title", "Amazon Loop Prep \u2013 Sr. Product Manager, Shopping Experience"),
    ("p", "Stories mapped to LPs. Each one should fit in 2-3 minutes. Numbers checked against the Q3 review deck."),
    ("empty",),
    ("h1", "Customer Obsession"),
    ("ital", "Leaders start with the customer and work backwards."),
    ("h2", "Tell me about a time you changed your roadmap because of customer feedback"),
    ("lab", "Situation:", " We had planned a quarter around a \u201csocial wishlist\u201d feature that leadership loved. In our beta, though, the top complaint in 1,200 survey responses was that people couldn\u2019t find items they had already bought to reorder them."),
    ("lab", "Task:", " As PM for the wishlist area I had to decide whether to stay the course or change the plan two weeks into the quarter."),
    ("lab", "Action:", " I read 300 of the verbatims myself, ran five customer calls, and pulled data showing 38% of sessions in that area started with a search for a past purchase. I wrote a 2-page narrative comparing both options and proposed pushing social wishlists to the next quarter and shipping \u201cBuy it again\u201d first. I brought the engineering lead into the customer calls so the recommendation was ours, not just mine."),
    ("lab", "Result:", " Leadership agreed. \u201cBuy it again\u201d launched in 7 weeks and drove a 4.2% lift in repeat purchase rate. Social wishlists shipped the next quarter with much less fanfare and lower usage than the reorder feature, which told us we had picked right."),
    ("h2", "Describe a time you had to say no to a customer"),
    ("lab", "Situation:", " A large B2B customer asked us to add a custom approval step to checkout just for them, and sales had already half-promised it."),
    ("lab", "Task:", " I owned checkout. A one-off fork of checkout would have slowed every future change for all customers."),
    ("lab", "Action:", " I met the customer with the account manager and asked what problem the approval step solved. It was really about spending limits per employee. We already had a spending-limit API that wasn\u2019t exposed in the UI. I said no to the custom step, explained why plainly, and offered to expose spending limits for all business accounts within 6 weeks."),
    ("lab", "Result:", " The customer accepted and renewed. Spending limits became one of the top 3 features used by business accounts, and sales stopped promising custom checkout steps."),
    ("empty",),
    ("h1", "Dive Deep"),
    ("bold", "Tell me about a time the data told you something different from your intuition."),
    ("lab", "Situation: ", "Our conversion rate on mobile dropped 6% over a month and everyone assumed it was the new image carousel we had shipped."),
    ("lab", "Task: ", "I was asked to decide whether to roll the carousel back before the holiday code freeze."),
    ("lab", "Action: ", "Before rolling back, I split conversion by app version, OS and traffic source. The drop was almost entirely Android users arriving from one affiliate partner, who had changed their deep links to open the mobile web page instead of the app. The carousel was fine. I shared the breakdown with the partnerships team and they fixed the links with the partner in three days."),
    ("lab", "Result: ", "Conversion recovered fully within a week, and we kept the carousel, which later showed a small positive effect in a proper A/B test. I set up a weekly conversion breakdown by traffic source so we'd catch partner changes quickly."),
    ("bold", "Give an example of when you dug into a problem nobody else wanted to touch."),
    ("p", "Our returns rate for one furniture category was double the site average and every team had a theory \u2013 photos, sizing, carriers. Nobody owned it because it sat between three teams."),
    ("p", "I pulled 2,000 return reasons and read a random sample of 200 myself. Most of them said \u201clarger than expected\u201d. The product pages listed dimensions in centimetres only and the images had nothing for scale. I ran a small test adding a room-scale image and dimensions in both units on 50 products."),
    ("p", "Returns for those 50 products fell 22% in the test. We rolled it out to the whole category and it became a requirement in the listing guidelines for large items."),
    ("empty",),
    ("h1", "Bias for Action"),
    ("num", "Tell me about a time you launched something without all the data you wanted"),
    ("bul", "Situation: ", "A competitor launched free same-day delivery in two of our largest cities right before Prime Day."),
    ("bul", "Task: ", "I needed a response within a week; a full pricing study would have taken six."),
    ("bul", "Action: ", "I proposed a two-city test of a lower free-delivery threshold, which was reversible with a config flag, and got finance to agree to a fixed budget cap instead of a full model. We monitored margin daily."),
    ("bul", "Result: ", "Order volume in the test cities held steady while the control cities dropped 3%. We kept the lower threshold in those cities and used the test data for the later pricing study."),
    ("num", "Tell me about a time you made a decision that turned out to be wrong"),
    ("p", "Situation: I pushed to launch a redesigned product page to 100% after only 4 days of A/B data because it looked strongly positive and we wanted it live for a sales event."),
    ("p", "Task: The decision was mine and so was the call to skip the second week of testing."),
    ("p", "Action: A week after the full launch, returns for the category went up because the new page hid the size chart behind a tab. I rolled back the size chart change within a day, wrote up what happened, and changed our launch checklist so that any page redesign has to show return rates, not just conversion."),
    ("p", "Result: Returns went back to baseline in two weeks. The checklist change has stopped two similar launches since."),
    ("num", "Tell me about a time you had to act on a customer escalation over a weekend"),
    ("empty",),
    ("h1", "Frugality"),
    ("ital", "Accomplish more with less. Constraints breed resourcefulness, self-sufficiency, and invention."),
    ("empty",),
    ("h1", "Think Big"),
    ("h2", "Tell me about your most ambitious product vision"),
    ("lab", "Situation:", " Our search team measured success by click-through rate on results pages, which kept us shipping small ranking tweaks."),
    ("lab", "Task:", " I wanted to move us from search ranking to helping customers decide, which would need three teams to change their roadmaps."),
    ("lab", "Action:", " I wrote a press release and FAQ for a \u201cbuying guide\u201d experience that answered comparison questions directly on the results page, built a clickable prototype over two weekends, and tested it with 12 customers. I then pitched it at the quarterly planning with a staged plan where each stage stood on its own."),
    ("lab", "Result:", " Stage one (comparison tables for 40 categories) launched and improved purchase rate from search by 2.7%. The buying guide became a funded team of 9 engineers the following year."),
    ("lab", "Learnings:", " I underestimated how much legal review generated comparison content needs; I would bring legal in at the PR/FAQ stage next time."),
    ("empty",),
    ("h1", "Other questions"),
    ("h2", "Why this role?"),
    ("p", "I\u2019ve spent six years on e-commerce product, mostly on checkout and search, and the parts I enjoy most are the ones where one small change affects millions of customers. This role owns the shopping experience end to end, which is the next step from the pieces I\u2019ve owned so far. I also want to work somewhere that writes narratives instead of decks; I already do that with my team and I want to get much better at it."),
]

GOOGLE_DOCS_EXPORT = [
    ("big", "Amazon Interview Prep - Area Manager (Ops)"),
    ("p", "Notes for my loop on the 14th. Stories still rough \u2013 fix numbers before Friday!"),
    ("empty",),
    ("bold", "CUSTOMER OBSESSION"),
    ("empty",),
    ("bold", "Tell me about a time you went above and beyond for a customer."),
    ("p", "Situation: During peak 2022 a shipment of insulin coolers for a pharmacy chain got mis-sorted at our building and was going to miss its delivery date by two days. These were time sensitive and the customer had already called twice."),
    ("p", "Task: I was the area manager on nights for outbound. It wasn\u2019t my department that caused the missort but the packages were in my building."),
    ("p", "Action: I had the team search the three outbound lanes by hand and we found all 46 packages within an hour. I called the transportation lead to get them onto a later linehaul, and I personally checked the labels before they were loaded. I then walked back through the sort to find where they went wrong - a barcode that scanned to a retired sort code."),
    ("p", "Result: All 46 packages arrived on time. We had the retired sort code removed from the system network wide, which stopped roughly 200 missorts a week."),
    ("empty",),
    ("bold", "Give me an example of when you used customer feedback to change a process."),
    ("p", "Situation: Delivery station customers complained in reviews that packages arrived crushed, mostly heavy items packed with light ones."),
    ("p", "Task: I owned the pack line at my site, and damage rate was one of my metrics."),
    ("p", "Action: Went through 150 damage reports with photos and found most were mixed-weight totes. Worked with the process engineer to add a weight check at pack, so any item over 10kg triggers a separate box prompt. Trained all three shifts myself."),
    ("p", "Result: Damage claims dropped 31% in eight weeks. The weight check got rolled out to 4 other sites in the region."),
    ("empty",),
    ("bold", "DELIVER RESULTS"),
    ("empty",),
    ("bold", "Tell me about a time you had to hit a goal with fewer resources than you needed."),
    ("p", "LP: Deliver Results, Frugality"),
    ("p", "Situation: Two weeks before Prime Day, 30% of our seasonal hires didn\u2019t show up for their first week. We were forecast to be 18,000 units per day short of our outbound target."),
    ("p", "Task: Meet the outbound target without the budget for agency labor, which finance had already capped."),
    ("p", "Action: I cross-trained 40 inbound associates on pack during the slow inbound days, moved breaks so the pack line never fully stopped, and set up hourly huddles where the leads could move people between lines based on the backlog board. I also asked our best packers to run 15 minute buddy sessions for new hires on the floor."),
    ("p", "Result: We hit 102% of the outbound target over the Prime event with no agency labor, and the cross-training stayed as a standard practice for peak."),
    ("empty",),
    ("bold", "Describe a time you missed a goal. What happened?"),
    ("p", "Situation: In my first quarter as AM our site missed the safety goal \u2013 recordable incident rate was 3.1 against a target of 2.5."),
    ("p", "Task: Safety was a goal I owned directly."),
    ("p", "Action: I stopped treating incidents as one-offs and looked at all 14 together. Nine were strains at the same two stations where the conveyor height didn\u2019t fit shorter associates. I got adjustable platforms for both stations within a month and started a 5 minute stretch at the start of every shift."),
    ("p", "Result: Missed the goal that quarter but the next two quarters were at 1.9 and 1.7. The platform fix was adopted in our regional standard work."),
    ("empty",),
    ("bold", "OTHER"),
    ("empty",),
    ("bold", "Tell me about a time you disagreed with your manager and what you did."),
    ("p", "LP: Have Backbone"),
    ("p", "Situation: My senior ops manager wanted to move my team to mandatory 12 hour shifts for all of December."),
    ("p", "Task: I thought it would hurt safety and attendance, and I had data from the year before."),
    ("p", "Action: I showed him that last year attendance on the 12-hour weeks dropped to 84% and incidents went up, and proposed voluntary extra time first plus a smaller core of mandatory days. He still wanted a safety net, so we agreed on mandatory 12s only for the two peak weeks, and I committed to making it work, including staying late myself to run the extra shift."),
    ("p", "Result: Attendance stayed above 93% and we met our December targets. The mixed model became the template for the following year."),
    ("empty",),
    ("bold", "Tell me about a time you developed someone on your team."),
    ("empty",),
    ("bold", "Tell me about a time you invented a simpler process."),
    ("p", "LP: invent and simplify"),
    ("p", "Situation: Our end-of-shift handoff was a 30 minute meeting where leads read numbers from a whiteboard."),
    ("p", "Task: Make the handoff faster and make sure nothing got lost between shifts."),
    ("p", "Action: I built a simple shared sheet that the leads fill in during the last hour (backlog per line, open safety issues, equipment down), and the handoff became a 10 minute walk to look at only the red items."),
    ("p", "Result: Saved 20 minutes of every lead\u2019s time every shift, and missed handoff items (things the next shift didn\u2019t know about) went from several a week to almost none."),
]


def add(doc: Document, item: tuple) -> None:
    kind, *args = item
    if kind == "title":
        doc.add_paragraph(args[0], style="Title")
    elif kind == "h1":
        doc.add_paragraph(args[0], style="Heading 1")
    elif kind == "h2":
        doc.add_paragraph(args[0], style="Heading 2")
    elif kind == "p":
        doc.add_paragraph(args[0])
    elif kind == "empty":
        doc.add_paragraph("")
    elif kind == "bold":
        doc.add_paragraph().add_run(args[0]).bold = True
    elif kind == "big":
        run = doc.add_paragraph().add_run(args[0])
        run.bold = True
        run.font.size = Pt(16)
    elif kind == "ital":
        doc.add_paragraph().add_run(args[0]).italic = True
    elif kind in ("lab", "bul"):
        para = doc.add_paragraph(style="List Bullet" if kind == "bul" else None)
        if args[0]:
            para.add_run(args[0]).bold = True
        para.add_run(args[1])
    elif kind == "num":
        doc.add_paragraph(args[0], style="List Number")
    else:
        raise ValueError(kind)


def build(name: str, items: list[tuple]) -> Path:
    doc = Document()
    props = doc.core_properties
    props.author = "candidate"
    props.title = name
    props.created = props.modified = dt.datetime(2024, 3, 1, 9, 0, 0)
    props.last_modified_by = "candidate"
    props.revision = 1
    for item in items:
        add(doc, item)
    path = OUT / name
    doc.save(path)
    return path


def dump(path: Path) -> None:
    print(f"== {path.name}")
    for i, para in enumerate(Document(path).paragraphs, start=1):
        print(f"{i}\t{para.style.name}\t{para.text[:90]}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, items in (("pm_loop_prep.docx", PM_LOOP_PREP),
                        ("google_docs_export.docx", GOOGLE_DOCS_EXPORT)):
        dump(build(name, items))


if __name__ == "__main__":
    main()
