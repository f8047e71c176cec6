"""The cache holds data only, verified before use, in a folder of the user's own:
a damaged, planted or linked entry never reaches the outputs, and nothing in it
is ever run."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from booklet import cache
from tests.helpers import OUR_SOURCE, ROOT, run


def build_epub(out: Path) -> bytes:
    result = run(OUR_SOURCE, "--out", out, "--project", ROOT, "--format", "epub")
    assert result.code == 0, result.err
    return (out / "hamstring-exercises-for-runners.epub").read_bytes()


def pictures(epub: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(epub))
    return {
        name: archive.read(name) for name in archive.namelist() if name.endswith((".png", ".jpg"))
    }


@pytest.fixture
def filled(tmp_path, monkeypatch) -> Path:
    """A cache filled by a build of our article (SOURCE_DATE_EPOCH fixed)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = tmp_path / "cache"
    monkeypatch.setenv("BOOKLET_CACHE", str(folder))
    build_epub(tmp_path / "fill")
    assert len(list(folder.iterdir())) >= 6  # five figures, the cover, the page counts
    return folder


def test_damaged_entries_are_dropped_and_made_again(filled, tmp_path, monkeypatch):
    """Random bytes in every entry (a crash mid-write, a bad sector): the build
    draws its pictures again and the EPUB is the same as a build without a cache."""
    for entry in filled.iterdir():
        entry.write_bytes(os.urandom(entry.stat().st_size))
    damaged = build_epub(tmp_path / "damaged")
    from PIL import Image

    for _name, data in pictures(damaged).items():
        Image.open(io.BytesIO(data)).verify()  # a real picture, not the random bytes
    monkeypatch.setenv("BOOKLET_CACHE", "off")
    assert damaged == build_epub(tmp_path / "none")


def test_nothing_planted_in_the_cache_is_run(filled, tmp_path):
    flag = tmp_path / "ran"
    code = f"import pathlib; pathlib.Path({str(flag)!r}).touch()\n".encode()
    for entry in filled.iterdir():
        entry.write_bytes(code)
    (filled / "booklet.py").write_bytes(code)
    (filled / "__init__.py").write_bytes(code)
    build_epub(tmp_path / "planted")
    assert not flag.exists()


def test_an_entry_that_is_a_link_is_not_followed(filled, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"root:$6$not-for-an-epub")
    for entry in filled.iterdir():
        entry.unlink()
        entry.symlink_to(secret)
    epub = build_epub(tmp_path / "linked")
    assert b"not-for-an-epub" not in epub
    for name, data in pictures(epub).items():
        assert data != secret.read_bytes(), name


def test_the_folder_is_made_private(tmp_path, monkeypatch):
    folder = tmp_path / "fresh" / "cache"
    monkeypatch.setenv("BOOKLET_CACHE", str(folder))
    cache.store("figure-x", b"data")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert cache.load("figure-x") == b"data"


def test_a_folder_others_may_write_to_is_not_used_and_said_once(tmp_path, monkeypatch):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("BOOKLET_CACHE", str(folder))
    result = run(OUR_SOURCE, "--out", tmp_path / "out", "--project", ROOT, "--format", "epub")
    assert result.code == 0
    said = [line for line in result.err.splitlines() if "cache folder" in line]
    assert said == [
        f"warning: the cache folder {folder} may be written by other users, so it is not "
        "used (builds are slower); make it your own with chmod 700, or set BOOKLET_CACHE "
        "to another folder"
    ]
    assert list(folder.iterdir()) == [], "nothing stored there"


@pytest.mark.skipif(os.getuid() != 0, reason="giving a folder to another user needs root")
def test_a_folder_another_user_owns_is_not_used(tmp_path, monkeypatch):
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)  # nobody
    monkeypatch.setenv("BOOKLET_CACHE", str(folder))
    cache.store("figure-x", b"data")
    assert cache.load("figure-x") is None
    assert list(folder.iterdir()) == []


def test_the_cache_stays_under_its_size_the_oldest_going_first(tmp_path, monkeypatch):
    monkeypatch.setenv("BOOKLET_CACHE", str(tmp_path / "c"))
    monkeypatch.setattr(cache, "MAX_BYTES", 10_000)
    monkeypatch.setattr(cache, "EVICT_EVERY", 1)
    for n in range(30):
        cache.store(f"figure-{n:02}", bytes(1000))
        os.utime(tmp_path / "c" / f"figure-{n:02}", ns=(n * 10**9, n * 10**9))
    kept = sorted(path.name for path in (tmp_path / "c").iterdir())
    assert sum((tmp_path / "c" / name).stat().st_size for name in kept) <= 10_000
    assert kept[-1] == "figure-29" and "figure-00" not in kept


def test_entries_are_looked_up_by_their_exact_name(tmp_path, monkeypatch):
    monkeypatch.setenv("BOOKLET_CACHE", str(tmp_path / "c"))
    cache.store("cover-abc", b"one")
    assert cache.load("cover-ab") is None and cache.load("cover-abc*") is None
    assert cache.load("cover-abc") == b"one"
