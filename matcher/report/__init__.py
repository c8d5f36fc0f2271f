"""Answers -> what is shown and written: terminal tables, files, coverage and loop plans.

- ``coverage``: what a story bank covers, its principle gaps and what to write next;
- ``planning``: one distinct story per question of an interview loop;
- ``render``: rich tables for people and plain dicts for ``--json``;
- ``outputs``: CSV, JSON or Markdown files written with ``--out``.
"""
