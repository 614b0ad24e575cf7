"""Score the importer against hand-written expectations: unit F1, leads exact, deadlines right.

Each sample is a document (dev/*.txt, holdout/*.txt, or .docx/.pdf/.html) beside NAME.expected.yaml:

    measures:
      - title: 全面落实市场准入负面清单制度   # the start of the measure's text, to find it
        lead: [省发展改革委]
        cooperating: [省商务厅]
        implied: []                           # optional: units from 以下…均需…落实
        deadlines: ["2023-09-30"]             # [] when the document states none
        leaders: [王某某]                     # optional
        review: true                          # optional: the measure must be marked for review

Units are scored over (measure, unit) pairs, so a unit on the wrong measure counts against both
precision and recall, and units on measures the expectation does not have count as false positives.
Run: python tests/importer/eval/evaluate.py [dev|holdout|all]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List

HERE = Path(__file__).resolve().parent
SUFFIXES = (".txt", ".docx", ".pdf", ".html")


def samples(which: str = "all") -> List[Path]:
    folders = ["dev", "holdout"] if which == "all" else [which]
    return sorted(p for f in folders for p in (HERE / f).iterdir() if p.suffix in SUFFIXES)


def _predicted(path: Path):
    from yytrack.importer.document import parse_document
    from yytrack.importer.readers import read_document

    return parse_document(read_document(path), "sample", source=path.name)


def _match(expected: List[dict], measures: List[dict]) -> Dict[int, dict]:
    """Expected index → the predicted measure whose title and text start with the expected title."""
    found: Dict[int, dict] = {}
    used = set()
    for i, want in enumerate(expected):
        for m in measures:
            said = (m["title"] + "。" + m["text"]).replace(" ", "")
            if m["id"] not in used and said.startswith(want["title"].replace(" ", "")):
                found[i] = m
                used.add(m["id"])
                break
    return found


def score_one(path: Path) -> dict:
    import yaml_loader

    expected = yaml_loader.load(path.with_name(path.stem + ".expected.yaml"))["measures"]
    result = _predicted(path)
    matched = _match(expected, result.measures)
    tp = fp = fn = leads = dated = dates_right = review_right = reviews = 0
    misses = []
    for i, want in enumerate(expected):
        got = matched.get(i)
        want_units = set(want.get("lead", []) + want.get("cooperating", []) + want.get("implied", []))
        got_units = set(got["lead_units"] + got["cooperating_units"] + got["implied_units"]) if got else set()
        tp, fp, fn = tp + len(want_units & got_units), fp + len(got_units - want_units), fn + len(want_units - got_units)
        lead_ok = got is not None and set(got["lead_units"]) == set(want.get("lead", []))
        leads += lead_ok
        got_dates = [d["date"] for d in got["deadlines"]] if got else None
        date_ok = got is not None and got_dates == want.get("deadlines", [])
        dated += 1
        dates_right += date_ok
        if "review" in want:
            reviews += 1
            review_right += got is not None and (got["id"] in result.review) == want["review"]
        if not (lead_ok and date_ok and got_units == want_units):
            misses.append((want["title"], sorted(want_units), sorted(got_units), want.get("deadlines"), got_dates))
    extra = [m for m in result.measures if m not in matched.values()]
    fp += sum(len(m["lead_units"] + m["cooperating_units"]) for m in extra)
    return {"tp": tp, "fp": fp, "fn": fn, "leads": leads, "measures": len(expected), "dated": dated,
            "dates_right": dates_right, "reviews": reviews, "review_right": review_right, "misses": misses,
            "extra": [m["title"][:20] for m in extra], "new_units": result.new_units}


def totals(results: List[dict]) -> dict:
    tp, fp, fn = (sum(r[k] for r in results) for k in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"unit_f1": f1, "precision": precision, "recall": recall,
            "leads_exact": sum(r["leads"] for r in results) / max(1, sum(r["measures"] for r in results)),
            "deadlines_right": sum(r["dates_right"] for r in results) / max(1, sum(r["dated"] for r in results))}


def main(which: str = "all") -> int:
    sys.path.insert(0, str(HERE))
    results = []
    for path in samples(which):
        result = score_one(path)
        results.append(result)
        print(f"{path.parent.name}/{path.name}: F1 {totals([result])['unit_f1']:.2f} "
              f"leads {result['leads']}/{result['measures']} dates {result['dates_right']}/{result['dated']}")
        for miss in result["misses"]:
            print("    miss:", miss)
        if result["extra"]:
            print("    extra measures:", result["extra"])
    print({k: round(v, 3) for k, v in totals(results).items()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "all"))
