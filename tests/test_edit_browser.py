"""`casebook edit` in Chromium: a case made through the form is a valid record; an invalid one is not written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser_support import Watch, open_page, watched_page
from tests.real_cases import ROOT

pytestmark = pytest.mark.browser
# Where the tests leave screenshots of the form, when asked to (CASEBOOK_EDIT_SHOTS=DIR): the list, a case, a problem.
SHOTS = Path(os.environ["CASEBOOK_EDIT_SHOTS"]) if os.environ.get("CASEBOOK_EDIT_SHOTS") else None


@contextmanager
def casebook_edit(project: Path) -> Iterator[str]:
    """The real `casebook edit` in ``project``; yields the address it printed."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "edit", "--decap", str(ROOT / "tools" / "decap")],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/[\w-]+/admin/", line)
        assert match, line + process.stderr.read()
        yield match.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy2(ROOT / "vocabulary.yaml", tmp_path / "vocabulary.yaml")
    return tmp_path


def control(scope, label: str, last: bool = False):
    """The input (or the group of fields) whose label starts with ``label``, inside ``scope``."""
    labels = scope.locator("label").filter(has_text=re.compile("^" + re.escape(label)))
    found = labels.last if last else labels.first
    return scope.page.locator(f"[id='{found.get_attribute('for')}']") if hasattr(scope, "page") else \
        scope.locator(f"[id='{found.get_attribute('for')}']")


def choose(select, typed: str) -> None:
    """Pick the option of a select (react-select) whose label contains ``typed``."""
    select.click()
    select.fill(typed)
    select.press("Enter")


def open_form(page, address: str, new: bool) -> None:
    page.goto(address)
    page.get_by_role("button", name="Login").click()
    page.get_by_text("hunan-industry-polytechnic").first.wait_for()
    if new:
        page.goto(address + "#/collections/cases/new")
        control(page, "案例编号 Case id").wait_for()


def fill_required(page, case_id: str, added: str) -> None:
    control(page, "案例编号 Case id").fill(case_id)
    control(page, "收录日期 Added").fill(added)
    control(control(page, "案例标题 Title"), "中文 Chinese").fill("新学院结对帮扶某县职业学校")
    control(control(page, "摘要（自撰） Summary"), "中文 Chinese").fill("新学院与某县职业学校结对，开展两项帮扶。")
    reporter = control(page, "报告单位 Reporter")
    control(control(reporter, "名称 Name"), "中文 Chinese").fill("新学院")
    choose(control(reporter, "机构类型 Kind"), "(higher-vocational-college)")
    choose(control(reporter, "所在省级行政区 Province"), "(CN-HN)")
    source = control(page, "来源文献 Source")
    control(control(source, "文献标题 Title"), "中文 Chinese").fill("新学院帮扶工作材料")
    choose(control(source, "文献类型 Kind"), "(experience-report)")
    control(source, "发布时间 Issued").fill("2020")
    control(control(source, "所涉年份 Period"), "起始年份 From").fill("2019")
    partners = control(page, "受援对象 Partners")
    partners.get_by_role("button", name=re.compile("^Add ")).first.click()
    control(partners, "本记录内引用该对象的标识 Id").fill("county-school")
    control(control(partners, "受援单位或地区名称 Name"), "中文 Chinese").fill("某县职业学校")
    choose(control(partners, "机构类型 Kind"), "(secondary-vocational-school)")
    choose(control(control(partners, "所在地区 Region"), "省级行政区 Province"), "(CN-HN)")
    choose(control(partners, "帮扶关系类型 Relationship"), "(twinning)")
    choose(control(page, "翻译状态 Translation").locator("input").first, "pending")


def add_measure(page, theme: str, title: str, indicator: str, value: str, unit: str) -> None:
    measures = control(page, "帮扶举措（按来源顺序） Measures")
    measures.get_by_role("button", name="Add 帮扶举措（按来源顺序） measures").click()
    choose(control(measures, "所属主题 Theme", last=True), f"({theme})")
    control(control(measures, "举措名称 Title", last=True), "中文 Chinese").fill(title)
    measures.get_by_role("button", name="Add 相关数据 figures").last.click()
    figures = control(measures, "相关数据 Figures", last=True)
    choose(control(figures, "指标 Indicator", last=True), f"({indicator})")
    control(figures, "数值 Value", last=True).fill(value)
    choose(control(figures, "单位 Unit", last=True), f"({unit})")


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


def shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


def test_a_case_made_through_the_form_is_a_record_casebook_validate_accepts(project: Path, browser):
    with casebook_edit(project) as address, watched_page(browser, viewport={"width": 1366, "height": 900}) as page:
        open_form(page, address, new=False)
        shot(page, "1-list.png")
        page.goto(address + "#/collections/cases/new")
        control(page, "案例编号 Case id").wait_for()
        fill_required(page, "new-college", "2026-01-02")
        add_measure(page, "governance-and-mechanisms", "签订结对协议", "visiting-delegation", "4", "person")
        add_measure(page, "teacher-development", "培训教师", "teachers-trained", "9", "person-times")
        publish(page)
        page.wait_for_url(re.compile(r"/entries/new-college$"))
        page.get_by_text("Entry saved").wait_for()
    record = project / "cases" / "new-college.yaml"
    text = record.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../case.schema.json\nschema: 1\n")
    assert "case_id" not in text and "opened_sha256" not in text
    assert "  - id: county-school\n" in text and "    relationship: [twinning]\n" in text
    assert text.count("indicator:") == 2
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--vocabulary",
                             str(project / "vocabulary.yaml"), str(record)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "1 case valid\n"


def test_an_invalid_value_shows_its_problem_in_the_form_and_nothing_is_written(project: Path, browser):
    before = {path.name: path.read_bytes() for path in (project / "cases").iterdir()}
    watch = Watch()
    with casebook_edit(project) as address:
        context, page = open_page(browser, watch, viewport={"width": 1366, "height": 900})
        open_form(page, address, new=False)
        page.get_by_text("hunan-industry-polytechnic").first.click()
        control(page, "收录日期 Added").wait_for()
        shot(page, "2-case-open.png")
        control(page, "收录日期 Added").fill("2026-02-30")  # the pattern allows it; the calendar does not
        assert watch.errors == []
        publish(page)
        page.get_by_text(re.compile("added: '2026-02-30' is not a day of the calendar")).wait_for()
        assert "casebook validate` would refuse it" in page.inner_text("body")
        shot(page, "3-validation-message.png")
        context.close()
    assert not watch.external
    # Decap reports the refused save on the console too (the request's status, its error): nothing else
    assert [error for error in watch.errors if "422" not in error and "API_ERROR" not in error
            and error != "Object"] == []
    assert {path.name: path.read_bytes() for path in (project / "cases").iterdir()} == before


def test_saving_twice_keeps_both_changes_and_a_case_is_deleted_only_when_asked_twice(project: Path, browser):
    record = project / "cases" / "hunan-industry-polytechnic.yaml"
    watch = Watch()
    with casebook_edit(project) as address:
        context, page = open_page(browser, watch, viewport={"width": 1366, "height": 900})
        page.on("dialog", lambda dialog: dialog.accept())  # Decap's own "Are you sure?"
        open_form(page, address, new=False)
        page.get_by_text("hunan-industry-polytechnic").first.click()
        control(control(page, "案例标题 Title"), "英文 English").fill("First change")
        publish(page)
        page.get_by_text("Entry saved").wait_for()
        control(control(page, "案例标题 Title"), "中文 Chinese").fill("第二处修改")
        page.get_by_text(re.compile("^unsaved changes$", re.IGNORECASE)).wait_for()
        publish(page)
        page.get_by_text(re.compile("^changes saved$", re.IGNORECASE)).wait_for()
        text = record.read_text(encoding="utf-8")
        assert "title:\n  zh: 第二处修改\n  en: First change\n" in text
        page.get_by_role("button", name="Delete entry").click()
        page.get_by_text(re.compile("To confirm, choose Delete again")).wait_for()
        assert record.read_text(encoding="utf-8") == text
        page.get_by_role("button", name="Delete entry").click()
        page.wait_for_url(re.compile(r"#/collections/cases$"))
        context.close()
    assert not record.exists()
    assert [error for error in watch.errors if "409" not in error and "API_ERROR" not in error
            and error != "Object"] == []


def test_the_form_is_no_part_of_the_readers_site(browser_site: Path):
    """No reader's page links to the form or loads Decap, the site holds none of its files, the sitemap and the
    search index do not know it, and the readers' policy still forbids eval."""
    files = [path.relative_to(browser_site).as_posix() for path in browser_site.rglob("*") if path.is_file()]
    assert not [name for name in files if "admin" in name.split("/") or "decap" in name.lower()]
    for page in browser_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "/admin/" not in html and "decap" not in html.lower(), page
        assert "'unsafe-eval'" not in html, page
    assert "admin" not in (browser_site / "sitemap.xml").read_text(encoding="utf-8")
