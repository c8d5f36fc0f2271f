"""The web page and JSON API through FastAPI's test client, over the real model."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from matcher import Matcher
from matcher.cli import app as cli
from matcher.practice import History
from matcher.web import create_app
from matcher.web.limits import MAX_BODY_BYTES

from .conftest import REPO

WEB_CORPUS = REPO / "tests" / "data" / "web"
QUESTION = "Tell me about a time you disagreed with your manager"


@pytest.fixture(scope="module")
def client(matcher, tmp_path_factory) -> TestClient:
    """The app over the session matcher (seed corpus), with a practice history in a temp folder."""
    history = History(tmp_path_factory.mktemp("history") / "practice.sqlite3")
    return TestClient(create_app(matcher, history=history))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The web test corpus (with HTML in a story) copied to a temp folder, and its index folder."""
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(WEB_CORPUS, root / "corpus")
    return root / "corpus", root / "index"


def test_ask_returns_exactly_what_ask_json_prints(small):
    corpus, index_dir = small
    printed = CliRunner().invoke(cli, ["ask", QUESTION, "--json", "-c", str(corpus), "--index-dir", str(index_dir)])
    assert printed.exit_code == 0, printed.output
    # Opened like the command opens it, so both encode the question the same way.
    web = TestClient(create_app(Matcher.open([corpus], index_dir, notify=lambda _: None)))
    response = web.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    assert response.json() == json.loads(printed.stdout)


def test_ask_batch_coverage_plan(client, matcher):
    ask = client.post("/api/ask", json={"question": QUESTION, "top": 2}).json()
    assert ask == matcher.answer_dict(matcher.ask(QUESTION, k=2)) and ask["verdict"] == "match"

    batch = client.post("/api/batch", json={"questions": [QUESTION, "What is a hash map?"]}).json()
    assert [a["verdict"] for a in batch["answers"]] == ["match", "not_behavioural"]
    assert batch["summary"]["confident"] == 1 and batch["summary"]["not_behavioural"] == 1

    cover = client.get("/api/coverage").json()
    assert {"principles", "without_story", "write_next"} <= set(cover)
    listed = client.post("/api/coverage", json={"text": "1. Tell me about a time you saved money\n2. " + QUESTION}).json()
    assert listed["principles"] and listed["write_next"]

    plan = client.post("/api/plan", json={"text": f"{QUESTION}\nTell me about a time you failed"}).json()
    assert len(plan) == 2 and plan[0]["story"]["id"] != plan[1]["story"]["id"]
    assert set(plan[0]) == {"question", "story", "score", "best", "loss", "weak"}


def test_practice_round_is_graded_recorded_and_reproducible(client):
    first = client.post("/api/practice/draw", json={"seed": 7, "round": 0}).json()
    again = client.post("/api/practice/draw", json={"seed": 7, "round": 0}).json()
    assert first == again and set(first) == {"round", "question", "origin"}  # no answer key leaked
    graded = client.post(
        "/api/practice/answer", json={"question": first["question"], "principles": ["Ownership"], "story": None}
    ).json()
    assert graded["question"] == first["question"] and graded["answer"]["question"] == first["question"]
    assert graded["principle_hit"] == (graded["expected_principle"] == "Ownership")
    stats = client.get("/api/practice/stats").json()
    assert sum(r["rounds"] for r in stats["principles"]) == 1 and len(stats["next"]) == 3


def test_practice_answer_from_another_site_is_refused(client):
    drawn = client.post("/api/practice/draw", json={"seed": 1}).json()
    foreign = client.post(
        "/api/practice/answer", json={"question": drawn["question"]}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403 and "another site" in foreign.json()["detail"]
    page = client.post("/practice", data={"seed": 1, "round": 0}, headers={"Origin": "https://evil.example"})
    assert page.status_code == 403
    same = client.post("/practice", data={"seed": 1, "round": 0}, headers={"Origin": "http://testserver"})
    assert same.status_code == 200 and "Next question" in same.text


def test_practice_page_draws_from_a_pasted_or_uploaded_list(client):
    listed = ["Tell me about a time you saved money", "Tell me about a time you missed a deadline"]
    loaded = client.post("/practice/list", data={"seed": 4, "text": "1. " + listed[0] + "\n2. " + listed[1]},
                         follow_redirects=False)
    assert loaded.status_code == 303
    url = loaded.headers["location"]
    assert url.startswith("/practice?seed=4&list=")
    key = url.rsplit("=", 1)[1]
    first = client.get(url)
    assert first.status_code == 200 and "From your list of 2 questions" in first.text
    drawn = [q for q in listed if q in first.text]
    assert len(drawn) == 1
    second = client.get(url + "&round=1")
    assert [q for q in listed if q in second.text] == [next(q for q in listed if q not in drawn)]

    played = client.post("/practice", data={"seed": 4, "round": 0, "list": key, "picked": ["Frugality"]})
    assert played.status_code == 200 and drawn[0] in played.text and "Principle:" in played.text
    assert f"round=1&list={key}" in played.text  # the next question comes from the same list
    stats = client.get("/api/practice/stats").json()
    assert any(r["rounds"] for r in stats["principles"])

    # An upload is read as the coverage page reads one: its name only picks the format.
    uploaded = client.post(
        "/practice/list", files={"upload": ("../../etc/passwd.csv", b"question,source\nWhy did you leave?,x\n")},
        data={"seed": 1},
    )
    assert uploaded.status_code == 200 and "Why did you leave?" in uploaded.text
    assert "From your list of 1 question " in uploaded.text


def test_practice_list_errors_are_one_line_and_keep_the_page(client):
    empty = client.post("/practice/list", data={"text": "\n\n"})
    assert empty.status_code == 422 and "no questions found" in empty.text and "Which principle" in empty.text
    many = "\n".join(f"Tell me about time number {i}" for i in range(501))
    assert "at most 500" in client.post("/practice/list", data={"text": many}).text
    binary = client.post("/practice/list", files={"upload": ("list.txt", b"\x00\x01 binary")})
    assert binary.status_code == 422 and "binary" in binary.text
    gone = client.get("/practice", params={"seed": 1, "list": "0123456789abcdef"})
    assert gone.status_code == 404 and "no longer loaded" in gone.text and "Which principle" in gone.text
    foreign = client.post("/practice/list", data={"text": "Why?"}, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/api/ask", b"", 422, "empty"),
        ("/api/ask", b"{not json", 422, "not valid JSON"),
        ("/api/ask", b"\x00\x9f\xff\xfe binary", 400, "not valid JSON"),
        ("/api/ask", b'{"question": ""}', 422, "the question is empty"),
        ("/api/ask", b'{"question": "   "}', 422, "the question is empty"),
        ("/api/ask", json.dumps({"question": "why " * 1000}).encode(), 422, "characters long"),
        ("/api/ask", b'{"question": 5}', 422, "question"),
        ("/api/ask", b'{"question": "Tell me about a failure", "top": 99}', 422, "top"),
        ("/api/batch", b"{}", 422, "send questions"),
        ("/api/batch", b'{"text": "\\n\\n"}', 422, "no questions"),
        ("/api/plan", b'{"questions": []}', 422, "no questions"),
        ("/api/practice/answer", b'{"question": "Not a drawn question"}', 422, "not one practice drew"),
        ("/api/practice/draw", b'{"sources": ["web"]}', 422, "unknown source"),
    ],
)
def test_bad_input_gets_a_4xx_with_a_message(client, path, body, status, message):
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]


def test_oversized_bodies_are_refused_with_413(client):
    big = client.post("/api/batch", content=b"x" * (MAX_BODY_BYTES + 1), headers={"content-type": "application/json"})
    assert big.status_code == 413 and "larger than" in big.json()["detail"]

    def chunks():  # no Content-Length: the limit must hold while streaming
        for _ in range(MAX_BODY_BYTES // 10_000 + 2):
            yield b" " * 10_000

    streamed = client.post("/api/batch", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    many = client.post("/api/batch", json={"questions": ["Tell me about a failure"] * 501})
    assert many.status_code == 422


def test_pages_render(client):
    for path in ("/", "/stories", "/coverage", "/plan", "/practice?seed=3", "/stories?principle=Ownership&q=customer"):
        response = client.get(path)
        assert response.status_code == 200, path
    answered = client.get("/", params={"q": QUESTION})
    assert "A prepared story fits" in answered.text and "<mark>" in answered.text
    assert client.get("/", params={"q": "x" * 3000}).status_code == 422
    assert 'id="heatmap"' in client.get("/coverage").text


def test_coverage_download_reuses_the_out_files(client, matcher):
    from matcher.report import outputs
    from matcher.report.coverage import coverage, suggestions

    rows = coverage(matcher.index.bank, matcher.catalogue)
    expected = outputs.coverage_text(
        "csv", matcher.index.bank, rows, suggestions(rows, matcher.catalogue), matcher.catalogue, inferred=False
    )
    csv_file = client.get("/coverage/download", params={"format": "csv"})
    assert csv_file.text == expected and "attachment" in csv_file.headers["content-disposition"]
    assert client.get("/coverage/download", params={"format": "exe"}).status_code == 422
    listed = client.post("/coverage", data={"text": "Tell me about a time you saved money", "download": "json"})
    assert "unanswered_questions" in listed.json()["principles"][0]
    uploaded = client.post(
        "/coverage", files={"upload": ("../../etc/passwd.csv", b"question\nTell me about a time you failed\n")}
    )
    assert uploaded.status_code == 200 and "Questions of your list" in uploaded.text


def test_story_html_is_shown_as_text(small):
    corpus, index_dir = small
    web = TestClient(create_app(Matcher.open([corpus], index_dir, notify=lambda _: None)))
    story_id = next(s["id"] for s in web.get("/api/stories").json()["stories"] if "outage" in s["title"])
    for page in (
        web.get("/stories", params={"story": story_id}),
        web.get("/", params={"q": "Tell me about a time the payment service went down during a sale"}),
        web.get("/coverage"),
    ):
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert(" in page.text
    assert "&lt;img src=x onerror=" in web.get("/stories", params={"story": story_id}).text


def test_source_links_open_the_document_at_the_line(small):
    corpus, index_dir = small
    web = TestClient(create_app(Matcher.open([corpus], index_dir, notify=lambda _: None)))
    answered = web.get("/", params={"q": QUESTION})
    assert 'href="/source?file=stories.yaml&amp;line=4#L4"' in answered.text
    document = web.get("/source", params={"file": "stories.yaml", "line": 4})
    assert document.status_code == 200 and '<li id="L4" value="4" class="here">' in document.text
    assert "&lt;script&gt;alert(" in document.text and "<script>alert" not in document.text
    # The name is only looked up among the corpus's documents, never opened as a path.
    for name in ("../../../etc/passwd", "/etc/passwd", str(corpus / "stories.yaml"), "stories.yaml/.."):
        refused = web.get("/source", params={"file": name})
        assert refused.status_code == 404 and "not a document of the corpus" in refused.text


def test_serve_warns_when_not_bound_to_loopback(small, monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **_: started.update(app=app, host=host, port=port))
    corpus, index_dir = small
    args = ["serve", "--port", "9999", "-c", str(corpus), "--index-dir", str(index_dir)]
    public = CliRunner().invoke(cli, [*args, "--host", "0.0.0.0"])
    assert public.exit_code == 0, public.output
    assert "warning" in public.stderr and (started["host"], started["port"]) == ("0.0.0.0", 9999)
    assert TestClient(started["app"], base_url="http://evil.example").get("/api/status").status_code == 200
    local = CliRunner().invoke(cli, args)
    assert "warning" not in local.stderr and started["host"] == "127.0.0.1"
    # On loopback, a page that renamed its own site to 127.0.0.1 (DNS rebinding) is refused.
    assert TestClient(started["app"], base_url="http://evil.example").get("/api/status").status_code == 400
    assert TestClient(started["app"], base_url="http://127.0.0.1:9999").get("/api/status").status_code == 200
    assert TestClient(started["app"], base_url="http://localhost:9999").get("/api/status").status_code == 200


def test_an_unusable_history_is_a_503_not_a_500(matcher, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    web = TestClient(create_app(matcher, history=History(blocker / "practice.sqlite3")), raise_server_exceptions=False)
    stats = web.get("/api/practice/stats")
    assert stats.status_code == 503 and "practice history" in stats.json()["detail"]
    assert web.get("/practice").status_code == 503
