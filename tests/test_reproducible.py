"""With SOURCE_DATE_EPOCH set, the same source gives byte-identical outputs."""

from __future__ import annotations

import time

from tests.helpers import OUR_SOURCE, ROOT, Epub, run


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run(OUR_SOURCE, "--out", first, "--project", ROOT, "--format", "all").code == 0
    time.sleep(1.1)  # a clock that leaked into an output would now differ
    assert run(OUR_SOURCE, "--out", second, "--project", ROOT, "--format", "all").code == 0
    names = sorted(path.name for path in first.iterdir())
    assert len(names) == 5  # pdf, epub, print, booklet, sheet
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    epub = Epub(first / "hamstring-exercises-for-runners.epub")
    assert epub.meta_property("dcterms:modified") == "2023-11-14T22:13:20Z"
    assert all(info.date_time == (2023, 11, 14, 22, 13, 20) for info in epub.zip.infolist())


def test_another_date_changes_only_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run(OUR_SOURCE, "--out", tmp_path / "a", "--project", ROOT, "--format", "epub").code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert run(OUR_SOURCE, "--out", tmp_path / "b", "--project", ROOT, "--format", "epub").code == 0
    a = Epub(tmp_path / "a" / "hamstring-exercises-for-runners.epub")
    b = Epub(tmp_path / "b" / "hamstring-exercises-for-runners.epub")
    assert a.meta_property("dcterms:modified") != b.meta_property("dcterms:modified")
    assert a.metadata("identifier") == b.metadata("identifier"), "the same book, a new edition"
