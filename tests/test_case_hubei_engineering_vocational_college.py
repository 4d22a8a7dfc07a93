"""Spot checks of cases/hubei-engineering-vocational-college.yaml against its source document."""

from __future__ import annotations

import pytest

from tests.real_cases import SOURCES, figures_of, real_case, source_text

CASE = "hubei-engineering-vocational-college"
SOURCE = "001_ec8066e162485467.txt"
needs_source = pytest.mark.skipif(not SOURCES.is_dir(),
                                  reason="the source documents (../shared/sources) are not beside the repository")


def _values(indicator: str) -> list:
    return [f.value for f in figures_of(real_case(CASE)) if f.indicator == indicator]


def _measure(when: str):
    return next(m for m in real_case(CASE).measures if m.when == when)


def _aid_table():
    return next(t for t in real_case(CASE).tables if t.id == "student-aid-2015-2017")


def _cell(table, row: int, column: str):
    return table.rows[row][[c.id for c in table.columns].index(column)]


def test_aid_table_subtotals_add_up():
    """Record only: every 小计 cell equals the sum of its three years (checked without the source)."""
    table = _aid_table()
    for column in (c for c in table.columns if c.sum_of):
        for row in range(len(table.rows)):
            parts = [_cell(table, row, ref) for ref in column.sum_of]
            assert _cell(table, row, column.id) == pytest.approx(sum(parts))


@needs_source
def test_aid_table_national_grants_and_every_row():
    table = _aid_table()
    assert [row[0].zh for row in table.rows] == ["国家奖助学金", "勤工助学", "校内奖助学金", "困难补助", "生源地货款"]
    assert _cell(table, 0, "funding-2016") == 78.5
    assert _cell(table, 0, "persons-2016") == 197
    assert _cell(table, 0, "funding-subtotal") == 190.1
    assert _cell(table, 0, "persons-subtotal") == 588
    assert 190.1 in _values("student-aid-funding") and 588 in _values("students-aided")
    text = source_text(SOURCE)
    assert "近3年建档立卡家庭经济困难学生资助情况统计（单位：万元、人次）" in text
    for row in table.rows:  # the flattened source table: label, then the eight numbers in column order
        assert row[0].zh + "".join(f"{cell:g}" for cell in row[1:]) in text


@needs_source
def test_projects_and_beneficiaries_2016_2017():
    assert 15 in _values("projects")
    assert 311 in _values("beneficiaries")
    assert "2016年-2017年，我校对阳新职教中心帮扶项目合计15个，惠及师生311人次" in source_text(SOURCE)


@needs_source
def test_reporter_founding_renamings_and_staff():
    case = real_case(CASE)
    assert case.reporter.founded == 1964
    assert {e.when for e in case.timeline} >= {"1964", "1999", "2003", "2007", "2014", "2015-03"}
    assert 493 in _values("staff-total") and 217 in _values("full-time-teachers") and 8923 in _values("students-total")
    text = source_text(SOURCE)
    for phrase in ("学校创建于1964年，1999年更名为", "2003年实现“四校重组”；2007年创办“黄石职业技术学院”",
                   "2014年，成功更名为“湖北工程职业学院”", "2015年3月省教育厅与市政府签订协议",
                   "学校现有教职工493人", "专任教师217人", "在校生8923人"):
        assert phrase in text


@needs_source
def test_lathes_and_yangxin_delegation():
    assert {f.indicator: f.value for f in _measure("2017-01-05").figures} == {"equipment-donated": 2}
    # 一行18人: people, not person-times
    assert {f.indicator: f.value for f in _measure("2017-02-22").figures} == {"visiting-delegation": 18}
    text = source_text(SOURCE)
    assert "2017年1月5日学校赠予阳新职教中心2台普通车床" in text
    assert "2017年2月22日下午，阳新职教中心工会主席冯卫东等一行18人" in text


@needs_source
def test_2016_cohort_of_yangxin_students():
    figures = {(f.indicator, f.value) for f in _measure("2016").figures}
    assert figures >= {("graduates", 71), ("graduates-employed", 52), ("employment-rate", 73.2),
                       ("graduates", 149), ("further-study", 41), ("graduates-employed", 88),
                       ("employment-and-progression-rate", 86.5)}  # 86.5% counts further study and jobs
    text = source_text(SOURCE)
    assert "湖北工程职业学院有71人，其中已就业52人，占比73.2%" in text
    assert "湖北省机械工业学校有149人，其中升学41人，就业88人，占比86.5%" in text


@needs_source
def test_municipal_decision_document_number():
    policy = next(p for p in real_case(CASE).policies if p.number)
    assert (policy.number, policy.year) == ("黄发〔2015〕1号", 2015)
    assert f"《{policy.title.zh}》（{policy.number}）" in source_text(SOURCE)


# --- the Yangxin centre's own profile, as partner data ---------------------------------------------------

def _yangxin():
    return next(p for p in real_case(CASE).partners if p.id == "yangxin-vocational-education-centre")


def test_yangxin_profile_is_partner_data():
    figures = {f.indicator: f for f in _yangxin().figures}
    assert {k: f.value for k, f in figures.items()} == {
        "staff-total": 194, "full-time-teachers": 102, "students-total": 4224, "campus-area": 208,
        "floor-area": 15000, "people-trained": 6000}
    assert figures["campus-area"].target          # 规划面积: the new campus's planned area
    assert figures["people-trained"].approx == "about"
    assert not any(f in _yangxin().figures for f in real_case(CASE).reporter.figures)


def test_yangxin_titles_and_courses_are_all_there():
    honours = "".join(h.zh for h in _yangxin().honours)
    for title in ("青春富康行动培训基地", "技能就业计划", "农村劳动力转移培训中心", "湖北省农民科技培训星火学校",
                  "温暖工程", "雨露计划", "湖北省农村实用人才培训基地"):
        assert title in honours, title
    for course in ("职称计算机", "会计证", "英特尔", "普通话"):
        assert course in honours, course


def test_the_profile_left_the_editor_note():
    notes = [n.note.zh for n in real_case(CASE).editor_notes if n.about == "yangxin-vocational-education-centre"]
    assert not any("职工194人" in note for note in notes)
    assert any("4730" in note for note in notes)   # the students' sum that does not match stays explained


@needs_source
def test_yangxin_profile_is_in_the_source():
    text = source_text(SOURCE)
    for fragment in ("现有职工总数为194（含聘用）人，其中：专任教师102人", "有在校生4224人", "新校区规划面积208亩",
                     "整个校舍建筑面积1.5万平方米", "各类培训年结业人数在6000人次",
                     "共青团湖北省委“青春富康行动培训基地”",
                     "劳动和社会保障厅“技能就业计划”培训基地", "省总工会“农村劳动力转移培训中心”",
                     "职称计算机培训、会计证培训、职称英语培训、教师继续教育培训、英特尔培训、普通话培训"):
        assert fragment in text, fragment


def test_projects_sit_under_teacher_training_and_the_reporter_names_ten_majors():
    measure = next(m for m in real_case(CASE).measures if any(f.indicator == "projects" for f in m.figures))
    assert measure.theme == "teacher-development"
    majors = next(f for f in real_case(CASE).reporter.figures if f.indicator == "majors-offered").note.zh
    for major in ("模具设计与制造", "机电一体化", "电气自动化", "建筑工程技术", "大数据分析"):
        assert major in majors, major
    assert any("四大跨越" in h.zh for h in real_case(CASE).reporter.honours)


def test_plain_english_for_the_responsibility_chain():
    detail = next(m for m in real_case(CASE).measures if m.id == "responsibility-chain").detail.en
    for literal in ("commander-in-chief", "military pledges", "vetoed outright", "sharing premises"):
        assert literal not in detail
    assert "overall head" in detail and "binding pledges" in detail and "one-vote veto" in detail


def test_the_3_plus_2_majors_and_the_aid_table_are_no_headline_results():
    """The nine "3+2" majors span four schools (one the college's own second name) and the aid table does not say
    whose students it counts: neither is a headline figure, and each is typed context with its reason."""
    case = real_case(CASE)
    assert {f.indicator for f in case.figures} == {"projects", "beneficiaries"}
    three_plus_two = next(m for m in case.measures if m.id == "split-stage-3-plus-2")
    aid = next(m for m in case.measures if m.id == "student-aid-system")
    for figure in [*three_plus_two.figures, *aid.figures]:
        assert figure.chain == "context" and figure.chain_note is not None, figure.indicator


def test_the_colleges_own_services_are_no_assistance_figures():
    indicators = {f.indicator for f in real_case(CASE).reporter.figures}
    assert not indicators & {"staff-sent-people", "people-trained", "competitions-hosted"}
    profile = "".join(h.zh for h in real_case(CASE).reporter.honours)
    assert "7000余人次" in profile and "7名科技特派员" in profile and "与阳新帮扶无关" in profile


def test_agreement_terms_are_written_as_terms():
    detail = next(m for m in real_case(CASE).measures if m.id == "split-stage-3-plus-2").detail
    assert "协议和制度的规定" in detail.zh and "not a record of what was done" in detail.en
    assert "head teacher" not in str(real_case(CASE).model_dump())


def test_the_second_and_third_responses_are_stated_not_shown_done():
    """Only the first response is worded as done (开展了、提高了); the other two are listed solutions."""
    case = real_case(CASE)
    first, second, third = (c.response for c in case.challenges)
    assert "学校提出" not in first.zh
    for response in (second, third):
        assert response.zh.startswith("学校提出：") and response.en.startswith("The college proposes to")
    assert "掌握了" not in third.zh and "came to understand" not in third.en
    plan = next(m for m in case.measures if m.id == "agreement-and-plan")
    chain = next(m for m in case.measures if m.id == "responsibility-chain")
    assert "鄂东南职教集团党委" not in plan.detail.zh and "鄂东南职教集团党委" in chain.detail.zh


def test_where_the_cnc_coaching_and_the_xiangyang_talk_took_place_is_not_said():
    """The source says the two teachers were assigned (委派) and the Xiangyang experts spoke; not where."""
    case = real_case(CASE)
    cnc = next(m for m in case.measures if m.id == "cnc-coaching").detail
    assert "前往" not in cnc.zh and "委派" in cnc.zh and "assigned" in cnc.en
    event = next(e for e in case.timeline if "王友安" in e.event.zh)
    assert "赴阳新" not in event.event.zh and "at the Yangxin centre" not in event.event.en
    lectures = next(m for m in case.measures if m.id == "it-teaching-lectures").detail
    assert "专家也来校" not in lectures.zh


def test_the_title_and_the_type_of_assistance_are_explained_where_their_words_differ():
    """The title says 对口帮扶 and the type says 对口支援: a reader is told why, and that the source uses both."""
    case = real_case(CASE)
    assert "对口帮扶" in case.title.zh and case.partners[0].relationship == ["paired-support"]
    notes = [n.note for n in case.editor_notes if n.about == "yangxin-vocational-education-centre"]
    assert any("对口帮扶" in n.zh and "对口支援" in n.zh and "paired support" in n.en for n in notes)
