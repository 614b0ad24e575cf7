"""Policy text → measures: decoding, PDF clean-up, structure, and the three seed documents against the
shipped task files (the seeds are public documents, copied into tests/fixtures/seeds so no test skips)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yytrack.repo import files, yamlio
from yytrack.errors import UsageProblem
from yytrack.importer.document import ImportResult, decode_text, normalize_text, parse_document
from yytrack.importer.writer import write_import
from yytrack.model import Unit

HERE = Path(__file__).resolve().parents[1]  # tests/
PROJECT = HERE.parent
FIXTURES = HERE / "fixtures" / "import"
SEEDS = HERE / "fixtures" / "seeds"
SEED_OF = {"fujian": "000_2bc7bae2e3a5e661.txt", "national": "001_a54658a1df535f3c.txt",
           "qiubei": "004_963249734297a66e.txt"}


def registry():
    """Canonical names only, no aliases (tests/fixtures/import/units.yaml)."""
    data = yamlio.load_fast(FIXTURES / "units.yaml")
    return [files.unit_from_dict(u, "units.yaml") for u in data["units"]]


def by_number(result: ImportResult):
    return {m["number"]: m for m in result.measures}


# ---------------------------------------------------------------- decoding


@pytest.mark.parametrize("raw", [
    "（一）加强建设。".encode("utf-8"),
    "\ufeff（一）加强建设。".encode("utf-8"),
    "（一）加强建设。".encode("gb18030"),
    "（一）加强建设。\r\n".encode("gbk"),
])
def test_decode_utf8_with_or_without_bom_else_gbk(raw):
    assert decode_text(raw).rstrip("\n") == "（一）加强建设。"


@pytest.mark.parametrize("raw", [b"\xff\xfe\x80\x81\x20", b"%PDF-1.4\x00\x00\x01"])
def test_decode_refuses_what_is_not_text(raw):
    with pytest.raises(UsageProblem, match="不是 UTF-8 或 GBK 编码"):
        decode_text(raw)


# ---------------------------------------------------------------- normalisation


def test_pdf_line_breaks_page_numbers_and_punctuation():
    text = normalize_text((FIXTURES / "pdf_sample.txt").read_text(encoding="utf-8"))
    lines = text.splitlines()
    assert "闽某某〔2023〕7号" in lines
    assert "关于推进示例工作的实施方案" in lines  # a title line is not glued to the preamble
    assert "一、加强基础建设" in lines
    assert ("（一）建设社区服务设施。支持新建社区卫生服务机构建设社区医养结合服务设施，到2023年底前建成一批示范点，"
            "护理型床位占比达到55%以上。〔责任单位：省卫健委、民政厅牵头，省发改委按职责分工落实〕") in lines
    assert "（二）完善价格政策。落实《价格政策》，合理确定收费标准，覆盖率保持在77.72%。" in lines
    assert "（三）加强行业监管。各乡（镇）人民政府要落实属地责任，6月底前完成自查。" in lines
    assert not any(line in ("- 3 -", "3") for line in lines)


@pytest.mark.parametrize("raw, expected", [
    ("国卫老龄发[2022]25号", "国卫老龄发〔2022〕25号"),
    ("闽卫老龄 〔２０２２〕１３５号", "闽卫老龄〔2022〕135号"),
    ("率 77.72%,截至 2023 年底.", "率77.72%，截至2023年底。"),
    ("原则:价格;收费(含上门费)", "原则：价格；收费（含上门费）"),
    ("«关于进一步推进医养结合发展的指导意见»", "《关于进一步推进医养结合发展的指导意见》"),
    ("各乡〈镇〉人民政府,各乡<镇>人民政府", "各乡（镇）人民政府，各乡（镇）人民政府"),
    ("ＡＢＣ１２３", "ABC123"),
    ("福 建 省 教 育 厅", "福建省教育厅"),
    ("Microsoft Word 文件", "Microsoft Word文件"),
    ("1.党政重视,部门协同.", "1.党政重视，部门协同。"),
])
def test_punctuation_and_spacing(raw, expected):
    assert normalize_text(raw) == expected + "\n"


def test_headings_are_never_joined_and_sentences_are():
    raw = "一、总体要求\n（一）加强建设。支持新建社区\n卫生服务机构\n（二）完善政策\n1.落实补助\n"
    assert normalize_text(raw).splitlines() == ["一、总体要求", "（一）加强建设。支持新建社区卫生服务机构",
                                                "（二）完善政策", "1.落实补助"]


@pytest.mark.parametrize("plan", sorted(SEED_OF))
def test_normalising_a_seed_twice_changes_nothing(plan):
    once = normalize_text((SEEDS / SEED_OF[plan]).read_text(encoding="utf-8"))
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("（）()〔〕、，,。.：；一二十12５ 　\n省卫健委牵头按职责分工落实责任单位县到年月底前%达以上〈镇〉«»-")),
               max_size=120))
def test_any_text_either_imports_or_says_why(text):
    try:
        result = parse_document(text, "fuzz")
    except UsageProblem as e:
        assert e.message  # refused with a reason
        return
    assert all(m["id"].startswith("fuzz-") for m in result.measures)


# ---------------------------------------------------------------- structure


SAMPLE = """关于推进示例工作的实施方案
一、加强基础建设
(一)建设社区服务设施.支持新建社区服务设施.〔责任单位:省卫健委、民政厅牵头,省发改委按职责分工落实.以下均需各市、县(区)人民政府落实,不再列出〕
(二)完善价格政策.合理确定收费标准.(责任单位:省医保局、市场监管局按职责分工落实)
二、强化服务监管
(三)加强行业监管.各地要落实属地责任,长期坚持.
"""


def test_measures_sections_titles_and_text_without_the_clause():
    result = parse_document(SAMPLE, "sample")
    first, second, third = result.measures
    assert [m["id"] for m in result.measures] == ["sample-01", "sample-02", "sample-03"]
    assert (first["number"], first["seq"], first["section"]) == ("（一）", 1, "一、加强基础建设")
    assert (first["title"], first["text"]) == ("建设社区服务设施", "支持新建社区服务设施。")
    assert (third["number"], third["section"], third["title"]) == ("（三）", "二、强化服务监管", "加强行业监管")
    assert list(first) == ["id", "number", "seq", "section", "title", "text", "lead_units", "cooperating_units",
                           "implied_units", "lead_inferred", "deadlines", "indicators", "implements"]


def test_forward_clause_gives_implied_units_to_the_following_measures_only():
    first, second, third = parse_document(SAMPLE, "sample").measures
    assert first["implied_units"] == []
    assert second["implied_units"] == third["implied_units"] == ["各市、县（区）人民政府"]
    assert second["lead_units"] == ["省医保局"] and second["lead_inferred"] is True


def test_measure_without_clause_is_flagged_and_has_no_units():
    result = parse_document(SAMPLE, "sample")
    third = result.measures[2]
    assert (third["lead_units"], third["cooperating_units"], third["lead_inferred"]) == ([], [], False)
    assert third["deadlines"] == []  # 长期坚持: recurring
    assert [mid for mid, _ in result.flagged] == ["sample-03"]
    assert "责任单位" in result.flagged[0][1]


def test_new_units_are_those_the_registry_does_not_know():
    result = parse_document(SAMPLE, "sample", registry=[Unit("省卫健委"), Unit("省民政厅", aliases=("民政厅",))])
    assert result.new_units == ["省发改委", "省医保局", "省市场监管局", "各市、县（区）人民政府"]


def test_separate_label_lines_after_a_measure():
    text = "一、重点任务\n（一）推进项目建设。加快审批。\n牵头单位：区发改局\n责任单位：各街道、区直各部门\n"
    [measure] = parse_document(text, "district").measures
    assert measure["text"] == "加快审批。"
    assert (measure["lead_units"], measure["cooperating_units"], measure["lead_inferred"]) == (
        ["区发改局"], ["各街道", "区直各部门"], False)


def test_arabic_numbered_measures_restarting_per_section():
    text = ("一、工作任务\n1.完成摸底。2023年底前完成。（责任单位：区民政局）\n2.建立台账。（责任单位：区卫健局）\n"
            "二、保障措施\n1.加强督导。（区政府办牵头，区卫健局配合）\n")
    result = parse_document(text, "district")
    assert [(m["number"], m["seq"], m["section"]) for m in result.measures] == [
        ("1.", 1, "一、工作任务"), ("2.", 2, "一、工作任务"), ("1.", 3, "二、保障措施")]
    assert result.measures[0]["deadlines"] == [{"date": "2023-12-31", "what": "2023年底前完成"}]
    assert result.measures[2]["lead_units"] == ["区政府办"]
    assert result.flagged == []  # a restart at 1 is no gap


def test_numbering_gap_is_flagged():
    text = "一、任务\n（一）甲。（责任单位：区民政局）\n（三）丙。（责任单位：区民政局）\n"
    assert any("编号不连续" in message for _, message in parse_document(text, "gap").flagged)


def test_closing_paragraph_after_the_last_clause_is_not_part_of_the_measure():
    text = "一、任务\n（一）甲项工作。具体内容。（民政部等按职责分工负责）\n各地区各有关部门要加强组织领导。\n"
    [measure] = parse_document(text, "closing").measures
    assert measure["text"] == "具体内容。"


def test_month_without_year_takes_the_documents_year():
    text = "闽某〔2024〕1号\n一、任务\n（一）开展自查。6月底前完成自查。（责任单位：省民政厅）\n"
    result = parse_document(text, "year")
    assert result.plan["doc_number"] == "闽某〔2024〕1号"
    assert result.measures[0]["deadlines"] == [{"date": "2024-06-30", "what": "6月底前完成自查"}]


@pytest.mark.parametrize("plan", ["Fujian", "福建", "", "a b"])
def test_bad_plan_id(plan):
    with pytest.raises(UsageProblem, match="方案 id"):
        parse_document(SAMPLE, plan)


def test_text_without_numbered_items():
    with pytest.raises(UsageProblem, match="没有识别出任何措施"):
        parse_document("这是一段没有编号的文字。", "empty")


# ---------------------------------------------------------------- writing


def test_write_import_writes_schema_headed_yaml_and_reads_back(tmp_path):
    result = parse_document((FIXTURES / "pdf_sample.txt").read_text(encoding="utf-8"), "sample",
                            source="pdf_sample.txt")
    paths = write_import(tmp_path, result)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "tasks/sample/plan.yaml", "tasks/sample/sample-01.yaml", "tasks/sample/sample-02.yaml",
        "tasks/sample/sample-03.yaml"]
    text = paths[1].read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/measure.schema.json\n")
    assert "title: 建设社区服务设施\n" in text and "- date: '2023-12-31'\n" in text and "\\u" not in text
    assert paths[0].read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/plan.schema")
    plan = files.read_plan(tmp_path / "tasks" / "sample")
    assert (plan.title, plan.doc_number) == ("关于推进示例工作的实施方案", "闽某某〔2023〕7号")
    measures = list(files.read_measures(tmp_path / "tasks" / "sample", "sample"))
    assert [m.lead_units for m in measures] == [("省卫健委", "省民政厅"), ("省医保局",), ()]
    assert measures[0].indicators[0].target == 55


def test_write_import_keeps_hand_work_unless_told(tmp_path):
    result = parse_document(SAMPLE, "sample")
    write_import(tmp_path, result)
    with pytest.raises(UsageProblem, match="已存在"):
        write_import(tmp_path, result)
    shorter = ImportResult(result.plan, result.measures[:2], [], [])
    write_import(tmp_path, shorter, overwrite=True)
    assert sorted(p.name for p in (tmp_path / "tasks" / "sample").iterdir()) == [
        "plan.yaml", "sample-01.yaml", "sample-02.yaml"]


# ---------------------------------------------------------------- the seed documents


def seed_bytes(plan: str, encoding: str) -> bytes:
    text = (SEEDS / SEED_OF[plan]).read_text(encoding="utf-8")
    return text.encode(encoding)


def comparable(measure: dict) -> dict:
    keys = ("id", "number", "seq", "section", "title", "text", "lead_units", "cooperating_units",
            "implied_units", "lead_inferred")
    return {k: (list(measure.get(k) or []) if k.endswith("_units") else measure.get(k)) for k in keys}


def shipped(plan: str) -> list:
    folder = PROJECT / files.TASKS / plan
    return [comparable(yamlio.load_fast(p)) for p in files.measure_files(folder)]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("plan", ["national", "fujian", "qiubei"])
def test_seed_import_matches_the_shipped_task_files(plan, encoding):
    result = parse_document(decode_text(seed_bytes(plan, encoding)), plan, registry())
    assert [comparable(m) for m in result.measures] == shipped(plan)
    assert result.new_units == []


@pytest.mark.parametrize("plan, count", [("national", 15), ("fujian", 15), ("qiubei", 21)])
def test_seed_units_resolve_against_the_repository_registry(plan, count):
    result = parse_document(decode_text(seed_bytes(plan, "utf-8")), plan, files.read_units(PROJECT))
    assert len(result.measures) == count
    assert result.new_units == []


def test_seed_plan_details_are_read_from_the_document_head():
    plans = {plan: parse_document(decode_text(seed_bytes(plan, "utf-8")), plan).plan for plan in SEED_OF}
    assert (plans["fujian"]["title"], plans["fujian"]["doc_number"], plans["fujian"]["issued"]) == (
        "关于进一步推进医养结合发展的实施方案", "闽卫老龄〔2022〕135号", "2022-12-12")
    assert plans["fujian"]["note"] == "以下均需各市、县（区）人民政府，平潭综合实验区管委会落实，不再列出"
    assert (plans["national"]["title"], plans["national"]["doc_number"]) == (
        "关于进一步推进医养结合发展的指导意见", "国卫老龄发〔2022〕25号")
    assert (plans["qiubei"]["title"], plans["qiubei"]["issuer"], plans["qiubei"]["issued"]) == (
        "丘北县深入推进医养结合发展实施方案", "丘北县人民政府办公室", "2021-07-23")


def test_qiubei_flags_the_two_measures_without_units():
    result = parse_document(decode_text(seed_bytes("qiubei", "utf-8")), "qiubei", registry())
    assert [mid for mid, _ in result.flagged] == ["qiubei-20", "qiubei-21"]


def test_qiubei_2022_commitments_become_deadlines():
    result = parse_document(decode_text(seed_bytes("qiubei", "utf-8")), "qiubei", registry())
    dated = {m["id"]: [d["date"] for d in m["deadlines"]] for m in result.measures if m["deadlines"]}
    assert dated == {"qiubei-01": ["2022-12-31"], "qiubei-02": ["2022-12-31"], "qiubei-04": ["2022-12-31"]}
    shipped_deadlines = {p.stem: [d["date"] for d in yamlio.load_fast(p).get("deadlines") or []]
                         for p in files.measure_files(PROJECT / files.TASKS / "qiubei")}
    assert {k: v for k, v in shipped_deadlines.items() if v} == dated
