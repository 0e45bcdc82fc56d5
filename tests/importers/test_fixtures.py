"""Every importer on small files written here (BOM, CRLF, RLM/LRM, stray spaces, I- after O,
empty content…): offsets exact, quirks counted and located, bad input named by file and line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from benchmark.importers import IMPORTERS, ImportProblem, ImportReport, get_importer
from benchmark.importers._common import Token, group_sentences, iob2_spans, join_tokens
from benchmark.importers.anercorp import camel_split_cut, import_anercorp, read_tokens, split_sentences
from benchmark.importers.ans import import_ans
from benchmark.importers.baly2018 import claim_key, import_baly2018
from benchmark.importers.mawqif import import_mawqif
from benchmark.importers.newsfane import import_newsfane
from benchmark.importers.saudinewsnet import import_saudinewsnet
from benchmark.model import Article, find_problems

RLM, LRM, BOM = "\u200f", "\u200e", "\ufeff"


def kinds(report: ImportReport) -> dict[str, int]:
    return dict(report.counts)


# --------------------------------------------------------------------------- shared machinery


def test_join_tokens_offsets_are_exact():
    text, offsets = join_tokens(["أمس" + RLM, "قال", "بوتين"])
    assert text == "أمس\u200f قال بوتين"
    assert [text[s:e] for s, e in offsets] == ["أمس\u200f", "قال", "بوتين"]


def test_iob2_repairs_i_after_o_and_says_where():
    tokens = [Token("و", "O", 1), Token("بوتين", "I-PER", 2), Token("روسيا", "I-LOC", 3), Token("x", "O", 4)]
    report = ImportReport("t")
    assert iob2_spans(tokens, report, "f.txt") == [(1, 2, "PER"), (2, 3, "LOC")]
    assert report.counts["i_after_o_repaired"] == 2
    assert [str(n) for n in report.notes] == ["f.txt:2: I-PER follows O; read as B-PER",
                                              "f.txt:3: I-LOC follows a PER entity; read as B-LOC"]


def test_iob2_rejects_bad_tag_and_unmapped_type_naming_the_line():
    with pytest.raises(ImportProblem, match=r"(?s)f\.txt:7: .*'X-PER' is not IOB2"):
        iob2_spans([Token("a", "X-PER", 7)], ImportReport("t"), "f.txt")
    with pytest.raises(ImportProblem, match=r"(?s)f\.txt:3: .*'GEO' has no mapping"):
        iob2_spans([Token("a", "B-GEO", 3)], ImportReport("t"), "f.txt", {"PER": "PER"})


def test_group_sentences_never_straddles_a_break():
    assert list(group_sentences(range(7), 3, breaks=[4])) == [(0, 3), (3, 4), (4, 7)]
    assert list(group_sentences(range(2), 1)) == [(0, 1), (1, 2)]
    with pytest.raises(ValueError, match="at least 1"):
        list(group_sentences(range(2), 0))


def test_registry_options_schema_and_unknown_option():
    assert set(IMPORTERS) == {"anercorp", "newsfane", "ans", "baly2018", "conll", "mawqif", "saudinewsnet"}
    for importer in IMPORTERS.values():  # the public corpora; conll reads the user's own file
        assert importer.name == "conll" or (importer.license and importer.citation and importer.homepage)
        assert importer.description
    newsfane = get_importer("newsfane")
    assert newsfane.options() == {"labels": "khabar", "sentences_per_doc": 10, "strict": True}
    assert newsfane.schema_for(labels="fine").name == "newsfane_fine"
    assert newsfane.schema_for().name == "newsfane"
    with pytest.raises(TypeError, match=r"(?s)unknown option\(s\) \['sentence_per_doc'\]"):
        newsfane.load("x", sentence_per_doc=2)
    with pytest.raises(KeyError, match="known"):
        get_importer("nope")


# --------------------------------------------------------------------------- ANERcorp


@pytest.mark.parametrize(("lines", "message"), [
    (["قال O", "الأسد I-ORG B-PERS"], r"ANERCorp:2: .*more than one tag column \(I-ORG before B-PERS\)"),
    (["قال O", "الأسد\tB-PERS"], r"ANERCorp:2: .*holds a tab"),
    (["قال O", "الأسد B-PERS\t"], r"ANERCorp:2: .*holds a tab"),
    (["قال O", "الأسد B-PERSON"], r"ANERCorp:2: .*not 'token tag' with an ANERcorp tag"),
    (["قال O", "الأسد"], r"ANERCorp:2: .*not 'token tag'"),
    (["قال O", "", "الأسد B-PERS"], r"ANERCorp:2: .*blank line: ANERcorp has no sentence breaks.*=blank"),
])
def test_anercorp_refuses_lines_outside_its_format(tmp_path, lines, message):
    """A multi-column file, a tab, a stray tag or a blank line never goes through as ANERcorp
    (before: 'الأسد I-ORG B-PERS' became the token 'الأسد I-ORG' with exit 0)."""
    with pytest.raises(ImportProblem, match=f"(?s){message}"):
        list(import_anercorp(write_aner(tmp_path, lines)))


def test_anercorp_blank_line_breaks_and_no_split_are_options(tmp_path):
    lines = ["قال O", "د. O", "بوش B-PERS", "", "", "عاد O", ".", "ذهب O", ""]
    lines[6] = ". O"
    path = write_aner(tmp_path, lines)
    articles = list(import_anercorp(path, sentence_breaks="blank", split="none", sentences_per_doc=1))
    assert [a.text for a in articles] == ["قال د. بوش", "عاد . ذهب"]  # not re-split at '.'
    assert all("split" not in a.meta for a in articles)
    assert next(a.meta["split"] for a in import_anercorp(write_aner(tmp_path, ANER_LINES))) == "train"
    report = ImportReport("anercorp")
    list(import_anercorp(write_aner(tmp_path, [*ANER_LINES, "", ""]), report=report))
    assert report.counts["trailing_blank_lines"] == 1  # blank lines at the very end are noted, not refused
    with pytest.raises(ValueError, match="split must be one of"):
        list(import_anercorp(path, split="random"))

ANER_LINES = [
    "فرانكفورت B-LOC",
    "قال O",
    "جورج B-PERS",
    "بوش" + RLM + " I-PERS",  # RLM inside a token, kept
    RLM + "," + RLM + " O",
    " فيرسلاين B-PERS",  # stray leading space, stripped
    " O",  # empty token, skipped
    RLM + " O",  # bidi-only token, kept
    ". O",
    ". O",  # a run of periods stays in one sentence
    "سي B-ORG",
    ". I-ORG",  # a period inside an entity does not end the sentence
    "إم I-ORG",
    "؟ O",
    "الأمم B-ORG",
    "المتحدة I-ORG",
    ". O",
]


def write_aner(tmp_path: Path, lines=ANER_LINES, newline="\r\n") -> Path:
    path = tmp_path / "ANERCorp"
    path.write_bytes((BOM + newline.join(lines)).encode("utf-8"))  # no trailing newline, as in the real file
    return path


def test_anercorp_text_offsets_and_quirks(tmp_path):
    path = write_aner(tmp_path)
    report = ImportReport("anercorp")
    articles = list(import_anercorp(path, sentences_per_doc=10, report=report))
    assert len(articles) == 2  # the CAMeL-style cut puts the last sentence in test
    surfaces = [a.surface(m) for a in articles for m in a.entities]
    # the U+200F glued to the end of "بوش" is trimmed off the mention (and counted), not kept in the name
    assert surfaces == ["فرانكفورت", "جورج بوش", "فيرسلاين", "سي . إم", "الأمم المتحدة"]
    assert report.counts["mention_edges_trimmed"] == 1
    labels = [m.label for a in articles for m in a.entities]
    assert labels == ["LOC", "PER", "PER", "ORG", "ORG"]
    first = articles[0]
    assert first.text.startswith("فرانكفورت قال جورج بوش\u200f \u200f,\u200f فيرسلاين \u200f . .")
    assert "  " not in first.text  # the empty token left no double space
    assert report.counts["empty_token_skipped"] == 1
    assert report.counts["token_whitespace_stripped"] == 1
    assert report.counts["bidi_only_token_kept"] == 1
    assert report.counts["lines"] == len(ANER_LINES)
    assert report.counts["tokens"] == len(ANER_LINES) - 1
    assert any(str(n).startswith("ANERCorp:7: empty token") for n in report.notes)
    for article in articles:
        assert find_problems(article, IMPORTERS["anercorp"].schema) == []


def test_anercorp_sentences_split_and_doc_ids(tmp_path):
    path = write_aner(tmp_path)
    tokens = list(read_tokens(path))
    sentences = split_sentences(tokens)
    assert [" ".join(t.text for t in tokens[s:e]).split(" ")[-1] for s, e in sentences] == [".", "؟", "."]
    cut = camel_split_cut(tokens, sentences)
    # 15 words (the bidi-only token is not one); floor(15 * 5/6) = 12: the sentence holding word 12 is train
    assert (cut.train_words, cut.test_words, cut.first_test_sentence) == (12, 3, 2)
    assert cut.first_test_line == 15
    articles = list(import_anercorp(path, sentences_per_doc=1))
    assert [a.doc_id for a in articles] == ["anercorp/s00000-00000", "anercorp/s00001-00001",
                                            "anercorp/s00002-00002"]
    assert [a.meta["split"] for a in articles] == ["train", "train", "test"]
    assert articles[1].meta["sentences"] == [1, 2]
    assert articles[0].meta["lines"] == [1, 10]
    grouped = list(import_anercorp(path, sentences_per_doc=10))
    assert grouped[0].meta["sentence_offsets"] == [0, grouped[0].text.index("سي")]
    assert grouped[0].doc_id == "anercorp/s00000-00001"


def test_anercorp_lf_and_crlf_give_the_same_articles(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    crlf = list(import_anercorp(write_aner(tmp_path / "a")))
    lf = list(import_anercorp(write_aner(tmp_path / "b", newline="\n")))
    assert [a.to_dict() for a in crlf] == [a.to_dict() for a in lf]


def test_anercorp_bad_line_is_named(tmp_path):
    path = write_aner(tmp_path, ["قال O", "بوش"])
    with pytest.raises(ImportProblem, match=r"(?s)ANERCorp:2: .*not 'token tag'"):
        list(import_anercorp(path))
    path = write_aner(tmp_path, ["قال O", " B-PERS"])
    with pytest.raises(ImportProblem, match=r"(?s)ANERCorp:2: .*empty token tagged 'B-PERS'"):
        list(import_anercorp(path))
    path = write_aner(tmp_path, ["قال O", "بوش B-PERSON"])
    with pytest.raises(ImportProblem, match=r"(?s)ANERCorp:2: .*with an ANERcorp tag after the last space"):
        list(import_anercorp(path))


def test_anercorp_accepts_the_folder(tmp_path):
    write_aner(tmp_path)
    assert len(list(import_anercorp(tmp_path))) == 2
    with pytest.raises(FileNotFoundError, match="no such file"):
        list(import_anercorp(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no ANERCorp in this folder"):
        list(import_anercorp(tmp_path / "empty"))


# --------------------------------------------------------------------------- NewsFANE

NEWSFANE_LINES = [
    LRM + "قال\tO",
    LRM + "الرئيس\tO",
    LRM + "باراك\tB-Politician",
    LRM + "اوباما\tI-Politician",
    LRM + "في\tO",
    LRM + "واشنطن\tB-Population-Center",
    ".\tO",
    "\t",
    LRM + "وزارة\tI-Government",  # I- after a sentence break (so after O): repaired
    LRM + "الخارجية\tI-Government",
    LRM + "في\tO",
    LRM + "مطار\tB-Airport",
    LRM + "دبي\tI-Airport",
    LRM + "و\tO",
    LRM + "اف\tB-Air",
    "16\tI-Air",
    ".\tO",
    "",
]


def write_newsfane(tmp_path: Path, lines=NEWSFANE_LINES) -> Path:
    path = tmp_path / "NewsFANE_Gold_2014_170K.txt"
    path.write_bytes((BOM + "\r\n".join(lines)).encode("utf-8"))
    return path


def test_newsfane_strips_lrm_maps_types_and_repairs(tmp_path):
    path = write_newsfane(tmp_path)
    report = ImportReport("newsfane")
    [article] = import_newsfane(path, report=report)
    assert LRM not in article.text
    assert article.text.split("\n")[1].startswith("وزارة الخارجية")
    assert [(article.surface(m), m.label) for m in article.entities] == [
        ("باراك اوباما", "PER"), ("واشنطن", "GPE"), ("وزارة الخارجية", "ORG"), ("مطار دبي", "LOC"),
        ("اف 16", "MISC")]
    assert report.counts["i_after_o_repaired"] == 1
    assert str(report.notes[0]) == ("NewsFANE_Gold_2014_170K.txt:9: I-Government follows O; "
                                    "read as B-Government")
    assert report.counts["bidi_marks_stripped"] == 13
    assert report.counts["sentences"] == 2 and report.counts["tokens"] == 16
    assert article.meta["sentence_offsets"] == [0, article.text.index("\n") + 1]
    assert "split" not in article.meta


def test_newsfane_label_options(tmp_path):
    path = write_newsfane(tmp_path)
    coarse = [m.label for m in next(import_newsfane(path, labels="coarse")).entities]
    fine = [m.label for m in next(import_newsfane(path, labels="fine")).entities]
    assert coarse == ["PER", "GPE", "ORG", "FAC", "VEH"]
    assert fine == ["Politician", "Population-Center", "Government", "Airport", "Air"]
    with pytest.raises(ValueError, match="labels must be one of"):
        list(import_newsfane(path, labels="ace"))
    docs = list(import_newsfane(path, sentences_per_doc=1))
    assert [a.doc_id for a in docs] == ["newsfane/s00000-00000", "newsfane/s00001-00001"]


@pytest.mark.parametrize(("line", "columns"), [("x\tB-Air\tB-Land", 3), ("x B-Air", 1), ("x\t", 2)])
def test_newsfane_refuses_lines_that_are_not_token_tab_tag(tmp_path, line, columns):
    """Before, 'x<TAB>B-Air<TAB>B-Land' became the token 'x<TAB>B-Air' tagged B-Land."""
    path = write_newsfane(tmp_path, [LRM + "و\tO", line])
    with pytest.raises(ImportProblem, match=rf"(?s)NewsFANE_Gold_2014_170K\.txt:2: .*is not 'token<TAB>tag' "
                                            rf"\(it has {columns} tab-separated"):
        list(import_newsfane(path))


def test_newsfane_unknown_type_is_named(tmp_path):
    path = write_newsfane(tmp_path, [LRM + "x\tB-Spaceship", ".\tO"])
    with pytest.raises(ImportProblem, match=r"(?s)NewsFANE_Gold_2014_170K\.txt:1: .*'Spaceship' has no"):
        list(import_newsfane(path))


# --------------------------------------------------------------------------- ANS


def write_ans(tmp_path: Path) -> Path:
    folder = tmp_path / "ans" / "stance"
    folder.mkdir(parents=True)
    (folder / "train.csv").write_text("s1,s2,stance\nارتفاع النفط,صعود النفط,agree\n"
                                      '"هبوط, الذهب",ارتفاع الذهب,disagree\n', encoding="utf-8")
    (folder / "dev.csv").write_text("s1,s2,stance\nأ,ب,other\n", encoding="utf-8")
    (folder / "test.csv").write_text("\ufeffs1,s2,stance\r\nج,د,agree\r\n", encoding="utf-8")
    return tmp_path / "ans"


def test_ans_pairs_splits_and_ids(tmp_path):
    report = ImportReport("ans")
    articles = list(import_ans(write_ans(tmp_path), report=report))
    assert [a.doc_id for a in articles] == ["ans/train/0001", "ans/train/0002", "ans/dev/0001",
                                            "ans/test/0001"]
    second = articles[1]
    assert second.text == "ارتفاع الذهب"
    assert (second.stances[0].holder, second.stances[0].target, second.stances[0].label) == (
        "article", "هبوط, الذهب", "disagree")
    assert [a.meta["split"] for a in articles] == ["train", "train", "dev", "test"]
    assert report.counts["articles_train"] == 2


@pytest.mark.parametrize(("row", "message"), [("أ,ب,agree,extra", "expected 3 columns"),
                                              ("أ\tب\tagree", "expected 3 columns")])
def test_ans_refuses_rows_outside_its_columns(tmp_path, row, message):
    folder = write_ans(tmp_path)
    (folder / "stance" / "dev.csv").write_text(f"s1,s2,stance\n{row}\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match=rf"(?s)dev/dev\.csv:2 \(row 1\).*{message}"):
        list(import_ans(folder))


def test_ans_bad_label_named_or_skipped(tmp_path):
    folder = write_ans(tmp_path)
    (folder / "stance" / "dev.csv").write_text("s1,s2,stance\nأ,ب,unrelated\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"(?s)dev/dev\.csv:2 \(row 1\).*'unrelated' is not in the ans"):
        list(import_ans(folder))
    report = ImportReport("ans")
    assert len(list(import_ans(folder, report=report, strict=False))) == 3
    assert report.counts["invalid_skipped"] == 1
    assert "unrelated" in report.notes[0].message


# --------------------------------------------------------------------------- Baly 2018


def write_baly(tmp_path: Path) -> Path:
    root = tmp_path / "baly"
    (root / "dataset").mkdir(parents=True)
    claims = {
        "R-1": ("true", ["نص يؤيد", "نص آخر"], ["agree", "unrelated"], ["[0]", ""]),
        "V-2": ("false", ["نص يعارض", "   "], ["disagree", "discuss"], ["[0, 1]", ""]),
    }
    for claim_id, (fact, bodies, stances, rationale) in claims.items():
        record = {"id": claim_id, "claim": f"ادعاء {claim_id[2:]}", "fact": fact, "article": bodies,
                  "url": ["https://example.org/a", "http://news.example.com/b"], "stance": stances,
                  "rationale": rationale}
        (root / "dataset" / f"{claim_id}.json").write_text(json.dumps(record, ensure_ascii=False),
                                                           encoding="utf-8")
    (root / "train_test_splits.txt").write_text("Fold_1: R-1\nFold_2: V-2\n", encoding="utf-8")
    return root


def test_baly_hides_the_veracity_label(tmp_path):
    report = ImportReport("baly2018")
    articles = list(import_baly2018(write_baly(tmp_path), report=report))
    assert len(articles) == 3
    dumped = json.dumps([a.to_dict() for a in articles], ensure_ascii=False)
    for leak in ("R-1", "V-2", '"fact"', '"true"', '"false"', "rationale", "R-", "V-"):
        assert leak not in dumped
    true_key, false_key = claim_key("R-1"), claim_key("V-2")
    assert sorted(a.doc_id for a in articles) == sorted(
        [f"baly2018/{true_key}/00", f"baly2018/{true_key}/01", f"baly2018/{false_key}/00"])
    order = [a.doc_id.split("/")[1] for a in articles]
    assert order == sorted(order)  # claim-key order, not file (R- before V-) order
    by_fold = {a.meta["fold"]: a for a in articles if a.stances[0].label in {"agree", "disagree"}}
    assert by_fold[1].stances[0].target == "ادعاء 1" and by_fold[1].stances[0].label == "agree"
    assert by_fold[2].source == "example.org"
    assert report.counts["empty_article_skipped"] == 1
    assert [str(n) for n in report.notes] == ["V-2.json: article[1]: empty article body; pair skipped"]


def test_baly_private_option_keeps_gold_side_fields(tmp_path):
    articles = list(import_baly2018(write_baly(tmp_path), private=True))
    private = {a.meta["private"]["claim_id"]: a.meta["private"] for a in articles}
    assert private["V-2"]["fact"] == "false" and private["V-2"]["rationale"] == "[0, 1]"


def test_baly_bad_stance_and_lists_are_named(tmp_path):
    root = write_baly(tmp_path)
    record = json.loads((root / "dataset" / "R-1.json").read_text(encoding="utf-8"))
    record["stance"][1] = "neutral"
    (root / "dataset" / "R-1.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"(?s)R-1.json: article\[1\].*'neutral'"):
        list(import_baly2018(root))
    record["stance"] = ["agree"]
    (root / "dataset" / "R-1.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"(?s)R-1.json.*parallel lists"):
        list(import_baly2018(root))


# --------------------------------------------------------------------------- Mawqif

MAWQIF_HEADER = "ID,text,target,stance,stance:confidence,sarcasm,sentiment,datetime\r\n"


def write_mawqif(tmp_path: Path) -> Path:
    root = tmp_path / "mawqif"
    root.mkdir()
    (root / "Mawqif_AllTargets_Train.csv").write_text(
        BOM + MAWQIF_HEADER
        + "1, تمكين المرأة ممتاز ,Women empowerment,Favor,0.9,No,Positive,2021-01-16 03:19:19+00:00\r\n"
        + '3,"لا للقاح،\r\nأبدا",Covid Vaccine,Against,1,No,Negative,2021-02-01 10:00:00+00:00\r\n',
        encoding="utf-8")
    (root / "Mawqif_AllTargets_Test.csv").write_text(
        BOM + MAWQIF_HEADER + "2,التحول الرقمي,Digital Transformation,None,1,No,Neutral,\r\n",
        encoding="utf-8")
    (root / "Mawqif_AllTargets_Blind Test.csv").write_text(BOM + "ID,text,target\r\n2,التحول الرقمي,Digital "
                                                           "Transformation\r\n", encoding="utf-8")
    return root


def test_mawqif_rows_blind_test_and_variety(tmp_path):
    report = ImportReport("mawqif")
    articles = list(import_mawqif(write_mawqif(tmp_path), report=report))
    assert [a.doc_id for a in articles] == ["mawqif/1", "mawqif/3", "mawqif/2"]
    first = articles[0]
    assert first.text == " تمكين المرأة ممتاز "  # the tweet as it is
    assert (first.stances[0].target, first.stances[0].label) == ("Women empowerment", "Favor")
    assert first.variety == "dialect" and first.published == "2021-01-16"
    assert first.meta["split"] == "train" and first.meta["stance_confidence"] == "0.9"
    assert articles[1].text == "لا للقاح،\r\nأبدا"
    assert articles[2].meta["split"] == "test" and articles[2].published is None
    assert report.counts["blind_test_skipped"] == 1
    with pytest.raises(ValueError, match=r"import Mawqif_AllTargets_Test\.csv instead"):
        list(import_mawqif(tmp_path / "mawqif" / "Mawqif_AllTargets_Blind Test.csv"))


@pytest.mark.parametrize(("row", "message"), [
    ("2,نص,Covid Vaccine,None,1,No,Neutral,,extra", "more columns than the header"),
    ("2,نص,Covid Vaccine", "fewer columns than the header"),
])
def test_mawqif_refuses_rows_that_do_not_fit_the_header(tmp_path, row, message):
    root = write_mawqif(tmp_path)
    (root / "Mawqif_AllTargets_Test.csv").write_text(BOM + MAWQIF_HEADER + row + "\r\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match=f"(?s)Mawqif_AllTargets_Test.csv:2: .*{message}"):
        list(import_mawqif(root))


def test_mawqif_duplicate_id_is_named(tmp_path):
    root = write_mawqif(tmp_path)
    (root / "Mawqif_AllTargets_Test.csv").write_text(
        BOM + MAWQIF_HEADER + "1,نص,Covid Vaccine,None,1,No,Neutral,\r\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"(?s)Mawqif_AllTargets_Test.csv:2: .*ID 1 repeats "
                                            r"Mawqif_AllTargets_Train.csv:2"):
        list(import_mawqif(root))


# --------------------------------------------------------------------------- SaudiNewsNet


def write_snn(tmp_path: Path) -> Path:
    root = tmp_path / "saudinewsnet" / "dataset"
    root.mkdir(parents=True)
    days = {
        "2015-07-21": [
            {"source": "aawsat", "url": "http://aawsat.com/1", "date_extracted": "2015-07-21 02:16:13",
             "title": "عنوان", "author": "لندن: رنيم حنوش", "content": "قال الوزير: «نعم»."},
            {"source": "sabq", "url": "http://sabq.org/2", "date_extracted": "2015-07-21 03:00:00",
             "title": "", "author": "", "content": "  "},
            {"source": "sabq", "url": "http://sabq.org/3", "date_extracted": "2015-07-21 04:00:00",
             "title": "خبر", "author": "", "content": "نص الخبر"},
        ],
        "2015-08-01": [{"source": "was", "url": "http://spa.gov.sa/4", "title": "واس", "author": "",
                        "date_extracted": "2015-08-01 09:09:09", "content": "الرياض - واس"}],
    }
    for day, records in days.items():
        with zipfile.ZipFile(root / f"{day}.zip", "w") as archive:
            archive.writestr(f"{day}.json", json.dumps(records, ensure_ascii=False))
    return tmp_path / "saudinewsnet"


def test_saudinewsnet_ids_fields_and_empty_content(tmp_path):
    report = ImportReport("saudinewsnet")
    articles = list(import_saudinewsnet(write_snn(tmp_path), report=report))
    assert [a.doc_id for a in articles] == ["saudinewsnet/aawsat/2015-07-21/0000",
                                            "saudinewsnet/sabq/2015-07-21/0002",
                                            "saudinewsnet/was/2015-08-01/0000"]
    first = articles[0]
    assert (first.title, first.source, first.url, first.published) == (
        "عنوان", "aawsat", "http://aawsat.com/1", "2015-07-21")
    assert first.meta == {"author": "لندن: رنيم حنوش", "date_extracted": "2015-07-21 02:16:13"}
    assert articles[1].title == "خبر" and articles[1].meta["author"] is None
    assert report.counts["records"] == 4 and report.counts["articles"] == 3
    assert [str(n) for n in report.notes] == [
        "2015-07-21.zip:2015-07-21.json[1]: empty content; article skipped"]


def test_saudinewsnet_bad_date_is_named(tmp_path):
    root = tmp_path / "day"
    root.mkdir()
    (root / "2015-07-22.json").write_text(json.dumps([{"source": "okaz", "date_extracted": "yesterday",
                                                       "content": "نص"}]), encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"(?s)2015-07-22.json\[0\].*not an ISO date"):
        list(import_saudinewsnet(root))


def test_every_fixture_article_round_trips(tmp_path):
    built = [*import_anercorp(write_aner(tmp_path)), *import_newsfane(write_newsfane(tmp_path)),
             *import_ans(write_ans(tmp_path)), *import_baly2018(write_baly(tmp_path)),
             *import_mawqif(write_mawqif(tmp_path)), *import_saudinewsnet(write_snn(tmp_path))]
    for article in built:
        name = article.doc_id.split("/")[0]
        assert Article.from_dict(article.to_dict(), IMPORTERS[name].schema) == article
