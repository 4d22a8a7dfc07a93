"""Spot checks of cases/tianjin-vocational-institute.yaml against its source (004, a slide deck of 2021-09)."""

from __future__ import annotations

import pytest

from tests.real_cases import SOURCES, figures_of, real_case, source_text

CASE_ID = "tianjin-vocational-institute"
SOURCE = "004_5982582bb7d01f60.txt"
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(),
                                   reason="the source documents (../shared/sources) are not beside the repository")


def _values(indicator: str) -> list:
    return [f.value for f in figures_of(real_case(CASE_ID)) if f.indicator == indicator]


def test_reporter_source_and_author():
    case = real_case(CASE_ID)
    assert case.reporter.name.zh == "天津职业大学"
    assert case.reporter.name.en == "Tianjin Vocational Institute"
    assert case.source.kind == "presentation"
    assert case.source.issued == "2021-09"
    assert "刘斌" in case.source.author.zh


@needs_sources
def test_reporter_and_author_occur_in_source():
    text = source_text(SOURCE)
    assert "TianjinVocationalInstitute" in text
    assert "天津职业大学校长刘斌" in text
    assert "2021年9月" in text


def test_headline_counts():
    assert 22 in _values("institutions-assisted")
    assert 82 in _values("staff-sent")
    assert 10115 in _values("teachers-trained")


@needs_sources
def test_headline_counts_occur_in_source():
    text = source_text(SOURCE)
    assert "学校累计对口帮扶贫困地区学校已达22个" in text
    assert "82人次" in text
    assert "10115人次" in text


def test_hotan_college_aid():
    case = real_case(CASE_ID)
    hotan = next(p for p in case.partners if p.id == "hotan-vocational-technical-college")
    assert hotan.name.zh == "和田职业技术学院"
    assert "aid-to-xinjiang" in hotan.relationship
    assert 8 in _values("staff-sent-people")  # 先后派出8名…: people
    assert 9 in _values("majors-supported")
    assert 45 in _values("training-bases")
    assert 21 in _values("majors-supported") and 7 in _values("major-clusters-supported")


@needs_sources
def test_hotan_college_aid_occurs_in_source():
    text = source_text(SOURCE)
    assert "对口支援和田职业技术学院" in text
    assert "先后派出8名核心职能部门负责人和专业骨干教师" in text
    assert "帮扶建设9个专业、45个校内实训室" in text
    assert "构建7大专业群21个专业" in text


def test_wei_county_enrolment_and_policy_number():
    case = real_case(CASE_ID)
    assert 72 in _values("students-enrolled")
    assert any(e.when == "2021-02" and "全国脱贫攻坚先进集体" in e.event.zh for e in case.timeline)
    assert any(p.number == "教职成〔2019〕5号" for p in case.policies)


@needs_sources
def test_wei_county_enrolment_and_policy_number_occur_in_source():
    text = source_text(SOURCE)
    assert "2020年面向河北省邢台市威县定向招生72人" in text
    assert "2021年2月" in text and "全国脱贫攻坚先进集体" in text
    assert "教职成〔2019〕5号" in text


def test_competition_awards_and_eye_care_service():
    awards = _values("awards-won")
    assert sorted(awards) == sorted([18, 2, 1, 2, 10, 26, 1, 1, 8, 6])
    assert 100000 in _values("people-served")
    assert 14 in _values("student-teams") and 41 in _values("service-activities")


@needs_sources
def test_competition_awards_and_eye_care_service_occur_in_source():
    text = source_text(SOURCE)
    assert "获得国赛2金、1银，市赛一等奖2项，二等奖10项，三等奖26项" in text
    assert "获国赛铜奖1项，市赛金奖1项，银奖8项，铜奖6项" in text
    assert "参与群众10万余人次" in text
    assert "团队14支" in text and "共计41次" in text


# --- plans and results kept apart: the roadmap columns are plans ---------------------------------------

ROADMAP_ONLY = {"smart-manufacturing-base", "teacher-training-targets", "wei-county-curriculum-standards",
                "tianjin-xiongan-alliance", "western-enrolment-growth"}


def _measure(measure_id: str):
    return next(m for m in real_case(CASE_ID).measures if m.id == measure_id)


def test_measures_known_only_from_the_roadmap_are_planned_and_their_figures_targets():
    case = real_case(CASE_ID)
    assert {m.id for m in case.measures if m.status == "planned"} == ROADMAP_ONLY
    for measure in case.measures:
        if measure.status == "planned":
            assert all(f.target for f in measure.figures), measure.id


def test_results_beside_plans_stay_results():
    hotan = _measure("hotan-college-aid")
    assert hotan.status == "done"
    sent = {(f.value, f.target) for f in hotan.figures if f.indicator == "staff-sent-people"}
    assert sent == {(8, False), (5, True)}   # 8 sent over time; 5 cadres only in the roadmap's 2019 column


def test_plans_are_worded_as_plans_in_both_languages():
    base = _measure("smart-manufacturing-base").detail
    assert "路线图" in base.zh and "roadmap" in base.en
    assert "学校2019年启动" not in base.zh and "began building" not in base.en
    programme = _measure("teacher-training-targets").detail
    assert "未说明是否已经实施" in programme.zh and "does not say whether it was carried out" in programme.en
    lancang = _measure("hotan-park-plan").detail
    assert "没有说明是否完成" in lancang.zh and "does not say whether that was done" in lancang.en
    assert "does not say whether" in _measure("wei-county-curriculum-standards").detail.en
    note = next(n for n in real_case(CASE_ID).editor_notes if n.about == "hotan-college-aid").note
    assert "cadres were sent" not in note.en and "lists sending 5 aid-to-Xinjiang cadres as a task" in note.en


def test_the_2020_timeline_does_not_date_the_hotan_plans_issue():
    events = [e for e in real_case(CASE_ID).timeline if e.when == "2020" and "和田职教园区" in e.event.zh]
    assert len(events) == 1
    assert "印发" not in events[0].event.zh and "issued" not in events[0].event.en
    first_year = next(e for e in real_case(CASE_ID).timeline if e.when == "2019" and "援疆干部" in e.event.zh)
    assert first_year.status == "planned"


def test_the_luxi_team_is_named_as_the_source_names_it():
    case = real_case(CASE_ID)
    assert "student" not in _measure("luxi-innovation-transfer").title.en.lower()
    response = next(c.response for c in case.challenges if "泸西" in c.problem.zh)
    assert "学生" not in response.zh and "student" not in response.en.lower()
    assert "生环学院" in response.zh


@needs_sources
def test_the_plans_are_roadmap_columns_in_the_source():
    text = source_text(SOURCE)
    assert "服务中国制造2025，启动产教融合智能制造实训基地建设" in text
    assert "完成产教融合智能制造实训基地基础配套建设" in text
    assert text.count("实施中职职教师资提升培训计划") == 1
    assert "和田行署正式发布方案，列入2020年重点建设项目" in text
    assert "生环学院“绿色循环冷却水处理药剂”项目团队" in text


# --- the third fact-check (issue 22): what the deck says, no more ------------------------------------------

def _partner(partner_id: str):
    return next(p for p in real_case(CASE_ID).partners if p.id == partner_id)


def test_no_inferred_assignment_and_no_invented_challenge():
    case = real_case(CASE_ID)
    assert "designated-assistance" not in _partner("shiping-vocational-school").relationship
    assert "designated-assistance" not in _partner("luxi-plateau-industry-centre").relationship
    assert not any("种养结构" in c.problem.zh for c in case.challenges)
    assert "wei-county-vocational-education-centre" not in _measure("wei-county-branch").partners
    wuwei = _measure("wuwei-twinning").detail
    assert "随后" not in wuwei.zh and "then selected" not in wuwei.en


def test_the_summary_says_what_the_projects_and_the_deck_say():
    summary = real_case(CASE_ID).summary
    assert "定点帮扶红河州职业教育" in summary.zh and "对口支援威县职业教育" in summary.zh
    assert "报告称为全国首个" in summary.zh and "which the deck calls the first" in summary.en
    assert "北辰区、滨海新区和蓟州区" in summary.zh and "outskirts" not in summary.en
    assert "to Hotan, Honghe, Wuwei, Wei County and elsewhere (82 person-times)" in summary.en


def test_hotans_results_apart_from_the_roadmaps_plan():
    hotan = _measure("hotan-college-aid").detail
    assert "组团模式" not in hotan.zh.split("路线图")[0]       # the team-based lead is the roadmap's, not a result
    assert "Leading a group" not in hotan.en.split("roadmap")[0]
    assert "实训基地" not in _measure("hotan-training-rooms").detail.zh
    event = next(e for e in real_case(CASE_ID).timeline if "和田职教园区" in e.event.zh)
    assert "和田地区当年" not in event.event.zh and "whose list" in event.event.en


def test_one_team_or_two_is_left_open():
    eye = _measure("eye-care-campaign").detail
    assert "全国高校黄大年式教师团队、眼视光专业群教师团队" in eye.zh
    note = next(n.note for n in real_case(CASE_ID).editor_notes if n.about == "eye-care-campaign"
                and "顿号" in n.note.zh)
    assert "two teams or one team under two names" in note.en


def test_the_xiongan_base_is_a_vocational_teacher_base():
    roadmap = next(t for t in real_case(CASE_ID).tables if t.id == "roadmap")
    assert "雄安新区建设职教师资和技能培训基地" in roadmap.rows[0][1].zh


@needs_sources
def test_the_corrected_wording_is_the_decks():
    text = source_text(SOURCE)
    assert "全国高校黄大年式教师团队、眼视光专业群教师团队长期开展" in text
    assert "建设津雄职教联盟、雄安新区职教师资和技能培训基地" in text
    assert "定点帮扶红河州职业教育" in text and "对口支援威县职业教育" in text
    assert "全国首个跨省市“3+2”的“五年一贯制”人才培养模式" in text
    assert all(district in text for district in ("北辰区", "滨海新区", "蓟州区"))
    assert "列入2020年重点建设项目" in text and "和田地区当年" not in text


def test_the_72_students_are_not_tied_to_the_3_plus_2_programme():
    """The deck lists the branch, the "3+2" programme and the 72-student intake as three separate points."""
    case = real_case(CASE_ID)
    assert "3+2" not in case.lead.zh.split("72")[0].split("10,115")[-1] and "3+2" not in case.lead.en
    assert "running a cross-provincial" not in case.summary.en
    (enrolled,) = [f for f in case.figures if f.indicator == "students-enrolled"]
    assert enrolled.value == 72 and "3+2" not in enrolled.note.zh and "3+2" not in enrolled.note.en
    response = next(c.response for c in case.challenges if "壁垒" in c.problem.zh)
    assert "72" not in response.zh and "72" not in response.en
    assert any(n.about == "wei-county-branch" and "分开" in n.note.zh for n in case.editor_notes)


def test_the_roadmap_years_are_labels_not_quantities():
    """An integer column prints 2019 as "2,019"; the roadmap's years are text cells."""
    roadmap = next(t for t in real_case(CASE_ID).tables if t.id == "roadmap")
    assert roadmap.columns[0].type == "text"
    assert [row[0].zh for row in roadmap.rows] == ["2019年", "2020年", "2021年", "2022年"]
    assert [row[0].en for row in roadmap.rows] == ["2019", "2020", "2021", "2022"]


def test_the_lotus_fund_is_the_only_social_partner_named():
    """The deck says 引入荷花基金社会力量: one fund, not "the fund and others"."""
    binhai = _measure("binhai-rural-revitalisation").detail
    assert "荷花基金等" not in binhai.zh and "and other social partners" not in binhai.en
