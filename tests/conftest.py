from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import OUR_SOURCE, ROOT, TEST_SOURCES, Epub, Pdf, run


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """The tests' own figure cache: never the user's, and empty at the start."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOOKLET_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def hamstring(tmp_path_factory) -> dict:
    """Our article built once, with the default options, as a user would."""
    out = tmp_path_factory.mktemp("hamstring")
    result = run(OUR_SOURCE, "--out", out, "--project", ROOT)
    assert result.code == 0, result.err
    assert result.err == "", "a clean build prints no warnings"
    return {
        "run": result,
        "pdf": Pdf(out / "hamstring-exercises-for-runners.pdf"),
        "epub": Epub(out / "hamstring-exercises-for-runners.epub"),
    }


@pytest.fixture(scope="session")
def test_builds(tmp_path_factory) -> dict:
    """The test sources, built the way each is meant to be: the French one on A4."""
    built = {}
    for name, extra in [
        ("etirements-du-matin", ["--paper", "a4"]),
        ("seven-moves", []),
        ("knee-after-acl", []),  # doses, a video, links to the web and a telephone
    ]:
        out = tmp_path_factory.mktemp(name)
        empty_project = tmp_path_factory.mktemp(f"{name}-project")
        result = run(TEST_SOURCES / f"{name}.md", "--out", out, "--project", empty_project, *extra)
        assert result.code == 0, result.err
        assert result.err == ""
        built[name] = {"pdf": Pdf(out / f"{name}.pdf"), "epub": Epub(out / f"{name}.epub")}
    return built


@pytest.fixture
def project(tmp_path) -> Path:
    """An empty project folder with the repository's images, for sources written by tests."""
    folder = tmp_path / "project"
    shutil.copytree(ROOT / "images", folder / "images")
    return folder
