"""The rows of `yytrack log` straight from one `git log`, without building a `Commit` per update.

`history.stream_log` gives every caller a full `Commit`; the whole-history log of a province has 10^5 and
more of them, and there the work per commit is the cost. Here each commit becomes one flat tuple with
just the fields the log shows. A message in the form `yytrack update` writes (subject, note, one
paragraph of trailers) is found and read whole by one regular expression (UPDATE); any other message goes
through `history.split_message`, so the fields are always the ones `Commit` would carry.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Iterator, Optional, Tuple

from yytrack.repo.history import log_texts, split_message
from yytrack.repo.store import TRAILER_PREFIX

# %ct, not %cI: the order needs whole seconds since the epoch, which %cI would only be parsed back into.
SCAN_FORMAT = "%x1e%H%x1f%aN%x1f%aE%x1f%aI%x1f%ct%x1f%B"
BLOCK = re.compile(r"Yytrack-[^\n]*: [^\n]*(?:\nYytrack-[^\n]*: [^\n]*)*")
PAIR = re.compile(r"Yytrack-(.*?): (.*)")
# A whole update as `yytrack update` writes it: the five fields, the subject, the note, then one paragraph of
# trailers, Measure, Unit, Status, Progress (optional) and Date first, then only other keys. The paragraph
# holds no blank line, so the blank line before it is the message's last one, as `split_message` has it.
# It is found in git's output from one \x1e to the next, as splitting there would give it.
UPDATE = re.compile(
    r"\x1e([^\x1e\x1f]*)\x1f([^\x1e\x1f]*)\x1f([^\x1e\x1f]*)\x1f([^\x1e\x1f]*)\x1f(\d+)\x1f"
    r"[^\x1e\n]*((?:\n[^\x1e\n]*)*?)"
    r"\n\nYytrack-Measure: ([^\x1e\n]*)\nYytrack-Unit: ([^\x1e\n]*)\nYytrack-Status: ([^\x1e\n]*)\n"
    r"(?:Yytrack-Progress: ([^\x1e\n]*)\n)?Yytrack-Date: ([^\x1e\n]*)"
    r"(?:\nYytrack-(?!(?:Measure|Unit|Status|Progress|Date|Review): )[^\x1e\n]*: [^\x1e\n]*)*\n*(?=\x1e|\Z)")
# What `git log --grep` would keep of the whole history: updates, reviews and unit merges.
RECORDING = re.compile(r"^Yytrack-(?:Measure|Units-Merge): ", re.M)

Entry = Tuple[str, int, str, str, str, str, str, str, str, str, str, str]
"""(sort day, commit time, commit, date, recorded, measure, unit, status, review, progress, author, note).

The sort day is the first ten characters of the date padded to ten; the commit time is whole seconds, at
least 0. `yytrack log` lists entries by (sort day, commit time), newest first, ties in git's order."""

assert TRAILER_PREFIX == "Yytrack-"  # spelled out in the patterns above


def scan_log(root: Path, path: str, since: Optional[str], until: Optional[str]) -> Iterator[Entry]:
    """The entries of the commits that wrote records under path, in git's order (newest commit first)."""
    if path.strip("/") == "progress":
        # The whole history: git hands over every commit and this module keeps the recording ones, which
        # costs git no regular expression per commit and costs Python nothing extra (see RECORDING).
        texts = log_texts(root, SCAN_FORMAT, [], since, until, ())
    else:
        texts = log_texts(root, SCAN_FORMAT, [path], since, until, (TRAILER_PREFIX,))
    for text in texts:
        yield from _entries(text, path.strip("/") == "progress")


def _entries(text: str, only_recording: bool, one=sys.intern) -> Iterator[Entry]:
    """The entries of a piece of git's output: updates in yytrack's own form found by UPDATE, any other
    commit (between them) read by `_any_entry`. The values that repeat from row to row (dates, measures,
    units, people) are kept once each: 10^5 rows are held until they are sorted."""
    done = 0
    for found in UPDATE.finditer(text):
        if found.start() != done:
            yield from _others(text[done:found.start()], only_recording)
        done = found.end()
        # note: the lines after the subject, from the newline that ends it (which strip() removes)
        cid, name, email, authored, committed, note, measure, unit, status, progress, date = found.groups("")
        date = one(date or authored[:10])
        yield (date[:10] if len(date) >= 10 else f"{date:<10}", int(committed), cid, date, authored, one(measure),
               one(unit), one(status), "", one(progress), one(f"{name} <{email}>"), note.strip())
    if done < len(text):
        yield from _others(text[done:], only_recording)


def _others(text: str, only_recording: bool) -> Iterator[Entry]:
    for chunk in text.split("\x1e"):
        entry = _any_entry(chunk, only_recording) if chunk.strip() else None
        if entry is not None:
            yield entry


def _any_entry(chunk: str, only_recording: bool) -> Optional[Entry]:
    fields = chunk.split("\x1f", 5)
    if len(fields) < 6:
        return None
    cid, name, email, authored, committed, message = fields
    text = message.rstrip("\n")
    body, blank, last = text.rpartition("\n\n")
    if blank and BLOCK.fullmatch(last):
        pairs = PAIR.findall(last)
        note = body.partition("\n")[2].strip()
    else:
        _, note, pairs = split_message(message)
    trailers = dict(pairs)
    if len(trailers) < len(pairs):
        trailers = dict(reversed(pairs))  # the first of a repeated key, as Commit.trailer reads it
    if only_recording and "Measure" not in trailers and "Units-Merge" not in trailers \
            and not RECORDING.search(message):
        return None
    date = trailers.get("Date") or authored[:10]
    day = date[:10] if len(date) >= 10 else f"{date:<10}"
    try:
        when = max(int(committed), 0)
    except ValueError:
        when = 0
    return (day, when, cid, date, authored, trailers.get("Measure", ""), trailers.get("Unit", ""),
            trailers.get("Status", ""), trailers.get("Review", ""), trailers.get("Progress", ""),
            f"{name} <{email}>", note)
