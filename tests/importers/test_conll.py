"""``khabar import conll``: any CoNLL layout read strictly, nested layers kept, and the round trip
file → articles → tags gives every tag column back (property test over all three schemes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.cli import main
from benchmark.importers import ImportProblem, ImportReport, get_importer
from benchmark.importers.conll import SCHEMES, article_tags, decode_tags, encode_tags, import_conll
from benchmark.io import read_articles
from benchmark.schema import LabelSchema, resolve_schema

RLM = "\u200f"


def write(tmp_path: Path, text: str, name: str = "news.conll", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


NESTED = (
    "زار\tO\tO\n"
    "وزير\tB-PER\tO\n"
    "خارجية\tI-PER\tB-ORG\n"
    "عمان\tI-PER\tI-ORG\n"
    "\n"
    "-DOCSTART-\tO\tO\n"
    "قالت\tO\tO\n"
    "وكالة\tB-ORG\tO\n"
    "الأنباء\tI-ORG\tO\n"
)


def test_nested_columns_become_nested_mentions_with_exact_offsets(tmp_path):
    report = ImportReport("conll")
    articles = list(import_conll(write(tmp_path, NESTED), tag_columns="2,3", doc_marker="-DOCSTART-",
                                 report=report))
    assert [a.doc_id for a in articles] == ["news/d00001", "news/d00002"]
    first = articles[0]
    assert first.text == "زار وزير خارجية عمان"
    assert [(first.surface(m), m.label) for m in first.entities] == [("وزير خارجية عمان", "PER"),
                                                                      ("خارجية عمان", "ORG")]
    assert first.meta == {"file": "news.conll", "lines": [1, 4], "sentence_offsets": [0]}
    assert articles[1].meta["lines"] == [7, 9]
    assert report.counts["entities_depth_1"] == 2 and report.counts["entities_depth_2"] == 1
    assert article_tags(first, depth=2) == [[("زار", "O", "O"), ("وزير", "B-PER", "O"),
                                             ("خارجية", "I-PER", "B-ORG"), ("عمان", "I-PER", "I-ORG")]]


def test_sentences_grouped_per_doc_and_sentence_marker(tmp_path):
    text = "أ O\nب B-LOC\n\nج O\n<s> O\nد O\n\nه O\n"
    articles = list(import_conll(write(tmp_path, text), sentence_marker="<s>", sentences_per_doc=2))
    assert [(a.doc_id, a.text, a.meta["sentence_offsets"]) for a in articles] == [
        ("news/s00000-00001", "أ ب ج", [0, 4]), ("news/s00002-00003", "د ه", [0, 2])]
    assert [a.meta["lines"] for a in articles] == [[1, 4], [6, 8]]


def test_columns_not_read_are_reported_and_other_token_column(tmp_path):
    report = ImportReport("conll")
    [article] = import_conll(write(tmp_path, "1 NOUN بيروت B-GPE\n"), token_column=3, tag_columns=(4,),
                             report=report)
    assert article.text == "بيروت" and article.entities[0].label == "GPE"
    assert [str(n) for n in report.notes] == [
        "news.conll:1: column(s) [1, 2] of 4 are neither the token nor a tag column: not read"]


def test_encoding_option_and_bad_bytes_name_the_line(tmp_path):
    [article] = import_conll(write(tmp_path, "\ufeffأ\tB-LOC\r\nب\tI-LOC\r\n\r\n"))  # BOM and CRLF
    assert article.text == "أ ب" and article.entities[0].label == "LOC"
    [article] = import_conll(write(tmp_path, "بيروت B-GPE\n", encoding="cp1256"), encoding="cp1256")
    assert article.text == "بيروت"
    path = tmp_path / "bad.conll"
    path.write_bytes(b"a O\nb O\n\xff O\n")
    with pytest.raises(ImportProblem, match=r"(?s)bad\.conll:3: .*do not decode as utf-8.*--encoding"):
        list(import_conll(path))


@pytest.mark.parametrize(("text", "options", "message"), [
    ("أ O O\nب B-PER\n", {}, r"news\.conll:2: .*has 2 column\(s\), the file has 3"),
    ("أ\tO\nب B-PER\n", {}, r"news\.conll:2: .*has 1 column\(s\), the file has 2 .*separates columns with spaces"),
    ("أ O\nب\tB-PER\n", {}, r"news\.conll:2: .*has 1 column\(s\), the file has 2 .*separates columns with tabs"),
    ("أ  O\n", {"delimiter": "space"}, r"news\.conll:1: .*has an empty column \(two spaces in a row"),
    ("أ\tO\t\n", {}, r"news\.conll:1: .*has an empty column \(two tabs"),
    ("أ O\n", {"tag_columns": "2,3"}, r"news\.conll:1: .*has 2 column\(s\) .*reads column 3"),
    ("أ\tB-PER I-ORG\n", {}, r"news\.conll:1: .*'B-PER I-ORG': not a IOB2 tag"),
    ("أ PER\n", {}, r"news\.conll:1: .*'PER': not a IOB2 tag"),
    ("أ O\nب I-PER\n", {}, r"news\.conll:2: .*'I-PER': it follows O: in IOB2 an entity starts with B-PER"),
    ("أ B-LOC\nب I-PER\n", {}, r"news\.conll:2: .*it follows a LOC entity"),
    ("أ O\nب B-PER\n", {"scheme": "IOB1"}, r"news\.conll:2: .*in IOB1, B-PER only starts"),
    ("أ B-PER\nب O\n", {"scheme": "BIOES"}, r"news\.conll:2: .*the PER entity opened at line 1 is not closed"),
    ("أ B-PER\n\nب O\n", {"scheme": "BIOES"}, r"news\.conll:1: .*not closed at the end of its sentence"),
    ("أ S-PER\nب E-PER\n", {"scheme": "BIOES"}, r"news\.conll:2: .*E-PER continues a PER entity"),
    ("أ O B-PER\n", {"tag_columns": "2,3"}, r"news\.conll:1: .*column 3 \(depth 2\): the PER entity lies inside 0"),
    ("أ B-ORG B-PER\n", {"tag_columns": "2,3"}, r"news\.conll:1: .*same tokens as the ORG entity of column 2"),
    ("أ B-ORG O\nب I-ORG B-PER\nج O I-PER\n", {"tag_columns": "2,3"}, r"news\.conll:2: .*crosses the ORG"),
    ("أ O\n \n", {}, r"news\.conll:2: .*holds only white space"),
    ("أ\tO\nب ج\tO\n", {}, r"news\.conll:2: .*token 'ب ج' is empty or holds white space"),
    ("-DOCSTART- B-PER\n", {"doc_marker": "-DOCSTART-"}, r"news\.conll:1: .*is the marker '-DOCSTART-' but"),
    (f"{RLM} B-PER\nأ I-PER\n", {}, r"news\.conll:1: .*token made only of invisible marks"),
])
def test_malformed_lines_stop_the_import_with_file_line_and_fix(tmp_path, text, options, message):
    with pytest.raises(ImportProblem, match=f"(?s){message}"):
        list(import_conll(write(tmp_path, text), **options))


def test_iob2_repair_is_opt_in_and_noted(tmp_path):
    report = ImportReport("conll")
    [article] = import_conll(write(tmp_path, "أ O\nب I-PER\nج I-PER\n"), repair=True, report=report)
    assert [article.surface(m) for m in article.entities] == ["ب ج"]
    assert [str(n) for n in report.notes] == [
        "news.conll:2: column 2: I-PER does not continue a PER entity; read as B-PER"]
    with pytest.raises(ValueError, match="repair applies to IOB2 only"):
        list(import_conll(write(tmp_path, "أ O\n"), scheme="IOB1", repair=True))


def test_schema_restricts_the_labels(tmp_path):
    schema = LabelSchema("mine", entity_labels=("PER",), quote_kinds=(), stance_labels=())
    with pytest.raises(ImportProblem, match=r"(?s)news\.conll:2: .*'LOC' is not in the mine schema \['PER'\]"):
        list(import_conll(write(tmp_path, "أ B-PER\nب B-LOC\n"), schema=schema))
    file = tmp_path / "mine.json"
    file.write_text(json.dumps({"name": "mine", "entity_labels": ["PER", "LOC"]}), encoding="utf-8")
    assert len(list(import_conll(write(tmp_path, "أ B-PER\nب B-LOC\n"), schema=str(file)))) == 1
    assert get_importer("conll").schema_for(schema=str(file)).entity_labels == ("PER", "LOC")


def test_codecs_agree_on_examples():
    spans = [(0, 2, "PER"), (2, 3, "PER"), (4, 5, "LOC")]
    assert encode_tags(spans, 5, "IOB2") == ["B-PER", "I-PER", "B-PER", "O", "B-LOC"]
    assert encode_tags(spans, 5, "IOB1") == ["I-PER", "I-PER", "B-PER", "O", "I-LOC"]
    assert encode_tags(spans, 5, "BIOES") == ["B-PER", "E-PER", "S-PER", "O", "S-LOC"]
    for scheme in SCHEMES:
        tags = encode_tags(spans, 5, scheme)
        assert decode_tags(tags, scheme, list(range(1, 6)), "f", 2) == spans


# --------------------------------------------------------------------------- round trip (property)

TOKEN = st.builds(lambda word, mark: word + mark, st.text(alphabet="بتثجحخدذرزسشصضطظعغفقكلمنهوي٢.،", min_size=1,
                                                           max_size=5), st.sampled_from(["", "", RLM]))
LABEL = st.sampled_from(["PER", "ORG", "LOC", "GPE"])


@st.composite
def nested_spans(draw, first: int, end: int, depth: int, max_depth: int, strictly_inside: bool):
    """Disjoint spans inside [first, end) (none equal to it when ``strictly_inside``), each with
    its own nested spans one depth further: a canonical nesting, as a list of (depth, s, e, label)."""
    if depth > max_depth or end - first < 1:
        return []
    spans = []
    position = first
    while position < end:
        if not draw(st.booleans()):
            position += 1
            continue
        stop = draw(st.integers(position + 1, end))
        if strictly_inside and (position, stop) == (first, end):
            position += 1
            continue
        spans.append((depth, position, stop, draw(LABEL)))
        spans.extend(draw(nested_spans(position, stop, depth + 1, max_depth, True)))
        position = stop
    return spans


@st.composite
def conll_files(draw):
    max_depth = draw(st.integers(1, 3))
    sentences = []
    for _ in range(draw(st.integers(1, 4))):
        tokens = draw(st.lists(TOKEN, min_size=1, max_size=7))
        spans = draw(nested_spans(0, len(tokens), 1, max_depth, False))
        sentences.append((tokens, spans))
    return max_depth, sentences


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conll_files(), st.sampled_from(SCHEMES), st.sampled_from(["\t", " "]), st.integers(1, 3))
def test_import_then_tags_gives_every_layer_back(tmp_path, data, scheme, sep, per_doc):
    max_depth, sentences = data
    expected = []
    for tokens, spans in sentences:
        columns = [encode_tags([(s, e, label) for d, s, e, label in spans if d == depth], len(tokens), scheme)
                   for depth in range(1, max_depth + 1)]
        expected.append(list(zip(tokens, *columns, strict=True)))
    text = "\n\n".join("\n".join(sep.join(row) for row in sentence) for sentence in expected) + "\n"
    path = tmp_path / "prop.conll"
    path.write_text(text, encoding="utf-8")
    articles = list(import_conll(path, tag_columns=list(range(2, max_depth + 2)), scheme=scheme,
                                 sentences_per_doc=per_doc))
    got = [sentence for article in articles for sentence in article_tags(article, max_depth, scheme)]
    assert got == expected
    for article in articles:  # offsets: every mention is its tokens joined by single spaces, edge marks trimmed
        for mention in article.entities:
            assert article.surface(mention) == article.surface(mention).strip(RLM + " ")


# --------------------------------------------------------------------------- command line


def test_cli_imports_several_files_and_writes_the_labels_found_as_a_schema(tmp_path, capsys):
    train = write(tmp_path, NESTED, "train.conll")
    test = write(tmp_path, "سافر O O\nالرئيس B-PER O\n", "test.conll")
    out = tmp_path / "corpus.jsonl"
    assert main(["import", "conll", str(train), str(test), "--tag-columns", "2,3", "--doc-marker=-DOCSTART-",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    schema_file = tmp_path / "corpus.schema.json"
    assert f"--schema {schema_file}" in printed
    assert json.loads(schema_file.read_text(encoding="utf-8"))["entity_labels"] == ["ORG", "PER"]
    ids = [a.doc_id for a in read_articles(out, resolve_schema(str(schema_file)))]
    assert ids == ["train/d00001", "train/d00002", "test/d00001"]
    report = json.loads((tmp_path / "corpus.jsonl.report.json").read_text(encoding="utf-8"))
    assert report["counts"]["entities_depth_2"] == 1 and report["options"]["tag_columns"] == "2,3"


def test_cli_refuses_bad_lines_and_misplaced_flags(tmp_path, capsys):
    bad = write(tmp_path, "أ O\nب I-PER\n")
    out = tmp_path / "o.jsonl"
    assert main(["import", "conll", str(bad), "--out", str(out)]) == 1
    assert "news.conll:2: 1 problem(s)" in capsys.readouterr().err and not out.exists()
    assert main(["import", "conll", str(bad), "--out", str(out), "--repair"]) == 0
    assert main(["import", "ans", str(bad), "--out", str(out), "--tag-columns", "2"]) == 2
    assert "--tag-columns: for `khabar import conll` only" in capsys.readouterr().err
    assert main(["import", "ans", str(bad), str(bad), "--out", str(out)]) == 2
    assert main(["import", "conll", str(bad), "--out", str(out), "--schema", "nope"]) == 2
    assert "unknown schema 'nope'" in capsys.readouterr().err
