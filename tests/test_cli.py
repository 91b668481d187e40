"""The command line: records on stdout, every bad input named on stderr, the rest still coded, exit code."""

from __future__ import annotations

import json

from click.testing import CliRunner

from dotterel.cli import main

GOOD = "Police arrested five activists in Nairobi on Monday."


def _run(args, input_text=None):
    runner = CliRunner()
    return runner.invoke(main, args, input=input_text, catch_exceptions=False)


def test_code_jsonl_with_bad_lines_codes_the_rest_and_exits_1(tmp_path, coder):
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "ok1", "text": GOOD, "date": "2024-03-08"}),
        "{not json",
        json.dumps({"id": "empty", "text": "   ", "date": "2024-03-08"}),
        json.dumps({"id": "baddate", "text": GOOD, "date": "2024-13-45"}),
        json.dumps({"id": "fr", "date": "2024-03-08",
                    "text": "Le gouvernement a annoncé mardi une nouvelle réforme des retraites "
                            "qui sera présentée au parlement la semaine prochaine."}),
        json.dumps({"id": "ok2", "text": GOOD, "date": "2024-03-08"}),
    ]) + "\n", encoding="utf-8")
    result = _run(["code", str(src)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {r["doc_id"] for r in records} == {"ok1", "ok2"}
    err = result.stderr
    assert f"{src}:2" in err  # malformed JSON, named by file and line
    assert f"{src}:3" in err and "empty" in err.lower()
    assert f"{src}:4" in err and "invalid date" in err
    assert f"{src}:5" in err
    assert "2 articles" in err and "4 failures" in err


def test_code_txt_binary_and_non_utf8_files(tmp_path, coder):
    good = tmp_path / "story.txt"
    good.write_text(GOOD, encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Police arrested the café owner in Nairobi.".encode("latin-1"))
    result = _run(["code", str(good), str(binary), str(latin), "--date", "2024-03-08"])
    assert result.exit_code == 1
    assert "blob.txt" in result.stderr and "binary" in result.stderr
    assert "latin.txt" in result.stderr and "UTF-8" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records and all(r["doc_id"] == "story" for r in records)
    assert records[0]["pub_date"] == "2024-03-08"


def test_code_oversized_article_is_refused(tmp_path, coder):
    big = tmp_path / "big.jsonl"
    text = (GOOD + " ") * 100_000  # about 5 MB
    big.write_text(json.dumps({"id": "big", "text": text, "date": "2024-03-08"}) + "\n"
                   + json.dumps({"id": "small", "text": GOOD, "date": "2024-03-08"}) + "\n", encoding="utf-8")
    result = _run(["code", str(big)])
    assert result.exit_code == 1
    assert "over the limit" in result.stderr
    assert '"doc_id": "small"' in result.stdout


def test_code_stdin_and_output_file(tmp_path, coder):
    out = tmp_path / "events.jsonl"
    line = json.dumps({"id": "s1", "text": GOOD, "date": "2024-03-08"})
    result = _run(["code", "-", "-o", str(out)], input_text=line + "\n")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert records and records[0]["event"] == "COERCE" and records[0]["id"] == "s1-0"


def test_missing_date_warns_but_codes(tmp_path, coder):
    story = tmp_path / "nodate.txt"
    story.write_text(GOOD, encoding="utf-8")
    result = _run(["code", str(story)])
    assert result.exit_code == 0
    assert "no publication date" in result.stderr
    assert '"doc_id": "nodate"' in result.stdout


def test_missing_file_is_an_error(tmp_path, coder):
    result = _run(["code", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "nope.jsonl" in result.stderr


def test_invalid_cli_date_is_a_usage_error():
    result = CliRunner().invoke(main, ["code", "x.txt", "--date", "yesterday"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
