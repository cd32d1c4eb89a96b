"""Each command's output formats, in a module without rich or pandas: the CLI lists them in
--help and checks --format before loading any renderer."""
from __future__ import annotations

SCORES = ("table", "json", "jsonl", "csv")
SCORECARD = ("table", "json", "csv", "markdown")
SELECT = ("text", "json")
QUEUE = ("table", "json", "markdown")
EVIDENCE = ("markdown", "json", "text")
AGENDA = ("markdown", "html", "json")
PROGRESS = ("table", "json", "markdown", "html")
EXPLAIN = ("text", "json")
INSPECT = ("table", "json", "jsonl")
SESSIONS = ("table", "json", "csv")
LINT = ("text", "json", "github")
CALIBRATE = ("table", "json", "markdown")
