"""Spot checks of cases/hunan-industry-polytechnic.yaml against its source document."""

from __future__ import annotations

import pytest

from tests.real_cases import SOURCES, figures_of, real_case, source_text

CASE = "hunan-industry-polytechnic"
SOURCE = "000_9c34f214aa615b58.txt"
needs_source = pytest.mark.skipif(not SOURCES.is_dir(),
                                  reason="the source documents (../shared/sources) are not beside the repository")

# The source's wording for each value the tests below check in the record.
SOURCE_PHRASES = (
    "创办于1955年，时称湖南工业学校，1999年经教育部批准升格",
    "2016年1月，洪江市职业中专学校校长易建中等一行4人",
    "2017年8月，组织举办了机械加工技术专业教师培训班，对9名洪江市职业中专学校专业教师",
    "进行了为期10天的集中培训",
    "2016年12月，学校选派了汽车维修专业骨干教师易宏彬、李琼，实训教师龙凤凉等3人",
    "培训了相关专业教师6人，学生200多人",
    "6个方面共计16条帮扶举措",
    "物流管理等5个专业",
    "等2门“专递课堂”网络课程",
    "2016、2017年录取率均在95%以上",
    "教育扶贫外宣稿20篇",
)


def _values(indicator: str) -> list:
    return [f.value for f in figures_of(real_case(CASE)) if f.indicator == indicator]


def _measure_figures(when: str, indicator: str) -> dict:
    measure = next(m for m in real_case(CASE).measures
                   if m.when == when and any(f.indicator == indicator for f in m.figures))
    return {f.indicator: f.value for f in measure.figures}


def test_reporter_founding_and_renaming():
    case = real_case(CASE)
    assert case.reporter.founded == 1955
    assert any(e.when == "1955" and "湖南工业学校" in e.event.zh for e in case.timeline)
    upgraded = "升为高等职业技术学院"  # the source's 升格, in our own words
    assert any(e.when == "1999" and "教育部" in e.event.zh and upgraded in e.event.zh for e in case.timeline)


def test_partner_and_start_of_twinning():
    case = real_case(CASE)
    partner = case.partners[0]
    assert partner.name.zh == "洪江市职业中专学校"
    assert partner.region.prefecture.zh == "怀化市"
    assert partner.relationship == ["twinning"]
    assert partner.since == "2016-01"
    assert _measure_figures("2016-01", "visiting-delegation")["visiting-delegation"] == 4  # 一行4人: people


def test_machining_teacher_course():
    assert _measure_figures("2017-08", "teachers-trained-people") == {"teachers-trained-people": 9, "duration-days": 10}


def test_december_2016_automotive_teachers():
    assert _measure_figures("2016-12", "students-trained-people") == {  # 3人, 6人, 200多人: people
        "staff-sent-people": 3, "teachers-trained-people": 6, "students-trained-people": 200}


def test_plan_majors_courses_admissions_and_publicity():
    assert 16 in _values("planned-measures")
    assert 6 in _values("plan-areas")
    assert 5 in _values("majors-supported")
    assert 2 in _values("courses-shared")
    assert set(_values("admission-rate")) == {95}
    assert 20 in _values("media-articles")


def test_policy_document_numbers():
    numbers = {p.number: p.year for p in real_case(CASE).policies}
    assert numbers == {"湘教通〔2015〕42号": 2015, "湘教通〔2016〕132号": 2016}


@needs_source
def test_checked_values_occur_in_the_source():
    text = source_text(SOURCE)
    missing = [phrase for phrase in SOURCE_PHRASES if phrase not in text]
    assert not missing, missing


@needs_source
def test_policy_titles_and_numbers_occur_in_the_source():
    text = source_text(SOURCE)
    for policy in real_case(CASE).policies:
        assert f"《{policy.title.zh}》（{policy.number}）" in text


def test_the_headline_teachers_figure_says_what_it_counts():
    [figure] = [f for f in real_case(CASE).figures if f.indicator == "teachers-trained-people"]
    assert figure.value == 9 and "6" in figure.note.zh and "6 automotive teachers" in figure.note.en
    assert not any(f.indicator == "planned-measures" for f in real_case(CASE).figures)  # a plan, not a result
    assert all(f.target for m in real_case(CASE).measures for f in m.figures
               if f.indicator in ("planned-measures", "plan-areas"))


def test_the_joint_bid_is_not_counted_as_an_assistance_project():
    """The source says the two schools applied (联合申报) for 1 project, not that it was approved."""
    bid = next(m for m in real_case(CASE).measures if m.id == "networked-schools-bid")
    assert "1项" in bid.detail.zh and "applied for 1" in bid.detail.en
    assert not bid.figures and "projects" not in {f.indicator for f in figures_of(real_case(CASE))}
    structure = next(m for m in real_case(CASE).measures if m.id == "working-structure")
    assert "政治任务" not in structure.detail.zh       # that phrase is the introduction's, not section 一（一）'s


def test_going_to_hongjiang_is_flagged_as_an_inference():
    note = next(n.note for n in real_case(CASE).editor_notes if n.about == "automotive-teachers-dec-2016")
    assert "推断" in note.zh and "inference" in note.en
