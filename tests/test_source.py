"""Reading a source: encodings, line ends, and the front matter fences."""

from __future__ import annotations

import pytest

from booklet.errors import SourceError
from booklet.source import read_source


def test_utf8_with_bom_and_crlf_reads_like_plain_utf8(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff---\r\ntitle: Été\r\n---\r\nBody\r\n".encode())
    source = read_source(path)
    assert source.front_matter == "title: Été"
    assert source.body == "Body\n"
    assert source.body_line == 4


def test_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("---\ntitle: x\n---\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert caught.value.problems[0].line == 4
    assert "not UTF-8" in str(caught.value)
    assert "0xe9" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "is empty"),
        ("  \n\n", None, "is empty"),
        ("title: x\n", 1, "must start with front matter"),
        ("---\ntitle: x\n\nno closing fence\n", 1, "never closed"),
    ],
)
def test_bad_fences(tmp_path, text, line, words):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert caught.value.problems[0].line == line
    assert words in str(caught.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "nope.md")
    with pytest.raises(SourceError, match="is not a file"):
        read_source(tmp_path)
