"""NewsFANE Gold (Alotaibi & Lee, 2014) → :class:`~benchmark.model.Article` pseudo-documents.

The file is ``token<TAB>tag`` per line (UTF-8 with BOM, CRLF), a line holding only a TAB
breaks sentences, and IOB2 tags carry one of ~50 fine-grained types (``Politician``,
``Population-Center`` …) and no coarse type. This importer:

- strips the LEFT-TO-RIGHT / RIGHT-TO-LEFT marks that start most tokens (152,599 of 168,080
  start with U+200E); they are display artefacts of the export, not text, and keeping them
  would put an invisible character at the start of every word and entity (counted);
- joins tokens with single spaces and sentences with ``"\\n"`` (the breaks are in the source);
- maps each fine type through :data:`NEWSFANE_FINE_TO_COARSE` (the taxonomy's own coarse class)
  and :data:`NEWSFANE_COARSE_TO_KHABAR`; the ``labels`` option picks the label set:
  ``"khabar"`` (default: PER/ORG/LOC/GPE/MISC), ``"coarse"`` (PER/ORG/LOC/GPE/FAC/VEH/WEA/PRO)
  or ``"fine"`` (the fine types as they are), each with its own :class:`LabelSchema`;
- repairs the 4 ``I-`` tags that follow ``O`` or another type as ``B-`` (counted and noted by line);
- refuses a line that is not exactly ``token<TAB>tag`` (spaces instead of the tab, a second tag
  column), naming it: other layouts are read by :mod:`benchmark.importers.conll`;
- groups ``sentences_per_doc`` sentences per article, doc_id ``newsfane/s<first>-<last>``.
  There is no official split, so ``meta`` has no ``split``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from benchmark.importers._common import (
    BIDI_MARKS,
    ImportProblem,
    ImportReport,
    Token,
    checked,
    group_sentences,
    iob2_spans,
    join_tokens,
    resolve_file,
    span_mentions,
)
from benchmark.model import Article, Mention, Provenance
from benchmark.schema import LabelSchema, builtin_schema

__all__ = [
    "NEWSFANE_COARSE_TO_KHABAR",
    "NEWSFANE_FINE_TO_COARSE",
    "NEWSFANE_SCHEMAS",
    "import_newsfane",
    "read_sentences",
]

DEFAULT_FILE = "NewsFANE_Gold_2014_170K.txt"

NEWSFANE_FINE_TO_COARSE: dict[str, str] = {
    # PER, split by role (the taxonomy's own extension of ACE PER); Group = a group of people
    "Politician": "PER", "Athlete": "PER", "Businessperson": "PER", "Artist": "PER", "Scientist": "PER",
    "Police": "PER", "Religious_PER": "PER", "Engineer": "PER", "Lawyer": "PER", "Group": "PER",
    "Other_PER": "PER",
    # ORG (ACE 2005 ORG subtypes)
    "Government": "ORG", "Non-Governmental": "ORG", "Commercial": "ORG", "Educational": "ORG",
    "Media": "ORG", "Religious_ORG": "ORG", "Sports": "ORG", "Medical-Science": "ORG", "Entertainment": "ORG",
    # LOC (ACE 2005 LOC subtypes)
    "Address": "LOC", "Boundary": "LOC", "Celestial": "LOC", "Water-Body": "LOC",
    "Land-Region-Natural": "LOC", "Region-General": "LOC", "Region-International": "LOC",
    # GPE (ACE 2005 GPE subtypes)
    "Continent": "GPE", "Nation": "GPE", "State-or-Province": "GPE", "County-or-District": "GPE",
    "Population-Center": "GPE", "GPE-Cluster": "GPE", "Special": "GPE",
    # FAC (ACE 2005 FAC subtypes)
    "Airport": "FAC", "Building-Grounds": "FAC", "Path": "FAC", "Plant": "FAC", "Subarea-Facility": "FAC",
    # VEH (ACE 2005 VEH subtypes)
    "Air": "VEH", "Land": "VEH", "Water": "VEH", "Subarea-Vehicle": "VEH",
    # WEA (ACE 2005 WEA subtypes)
    "Biological": "WEA", "Blunt": "WEA", "Chemical": "WEA", "Exploding": "WEA", "Nuclear": "WEA",
    "Projectile": "WEA", "Sharp": "WEA", "Shooting": "WEA",
    # PRO (products: the taxonomy's addition to ACE)
    "Book": "PRO", "Movie": "PRO", "Sound": "PRO", "Hardware": "PRO", "Software": "PRO", "Food": "PRO",
    "Drug": "PRO",
}
"""Fine type → the taxonomy's coarse class. The 45 types seen in NewsFANE_Gold_2014_170K are all
here; their parents follow ACE 2005 (which Alotaibi & Lee extend with role-based PER types and
PRO). The remaining ACE subtypes are listed so WikiFANE-style files import too. An unlisted
type is an error naming the line, never a guess."""

NEWSFANE_COARSE_TO_KHABAR: dict[str, str] = {
    "PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE",
    "FAC": "LOC",  # buildings, roads, airports: places
    "VEH": "MISC", "WEA": "MISC", "PRO": "MISC",
}
"""The taxonomy's coarse class → Khabar's label (Khabar has no FAC/VEH/WEA/PRO)."""

NEWSFANE_SCHEMAS: dict[str, LabelSchema] = {
    labels: builtin_schema(name)
    for labels, name in (("khabar", "newsfane"), ("coarse", "newsfane_coarse"), ("fine", "newsfane_fine"))
}
"""One schema per ``labels`` option of :func:`import_newsfane`."""


def _type_map(labels: str) -> dict[str, str]:
    if labels == "fine":
        return {fine: fine for fine in NEWSFANE_FINE_TO_COARSE}
    if labels == "coarse":
        return dict(NEWSFANE_FINE_TO_COARSE)
    if labels == "khabar":
        return {fine: NEWSFANE_COARSE_TO_KHABAR[coarse] for fine, coarse in NEWSFANE_FINE_TO_COARSE.items()}
    raise ValueError(f"labels must be one of {sorted(NEWSFANE_SCHEMAS)}, got {labels!r}")


def read_sentences(path: str | Path, report: ImportReport | None = None) -> Iterator[list[Token]]:
    """Yield the sentences of a NewsFANE file as token lists (leading bidi marks stripped)."""
    path = resolve_file(path, DEFAULT_FILE, "NewsFANE Gold")
    report = report if report is not None else ImportReport("newsfane")
    name = path.name
    sentence: list[Token] = []
    with path.open("r", encoding="utf-8-sig") as handle:  # universal newlines handle the CRLF
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():  # "\t" is the sentence break; a truly empty line is treated the same
                if line != "\t":
                    report.note(f"{name}:{number}", "empty_line_as_break",
                                "empty line read as a sentence break")
                if sentence:
                    yield sentence
                    sentence = []
                continue
            columns = line.split("\t")
            if len(columns) != 2 or not columns[1].strip():
                raise ImportProblem(f"{name}:{number}", [
                    f"line {line!r} is not 'token<TAB>tag' (it has {len(columns)} tab-separated column(s)): fix the "
                    "line; a file with spaces between columns or a tag column per nesting depth is read by "
                    "`khabar import conll`"])
            raw, tag = columns
            unmarked = raw.lstrip(BIDI_MARKS)
            token = unmarked.strip()
            if unmarked != raw:
                report.count("bidi_marks_stripped")
            if token != unmarked:
                report.note(f"{name}:{number}", "token_whitespace_stripped",
                            f"token {unmarked!r} carried surrounding white space; stripped")
            if not token:
                if tag.strip() != "O":
                    raise ImportProblem(f"{name}:{number}", [f"empty token tagged {tag!r}; fix the line"])
                report.note(f"{name}:{number}", "empty_token_skipped", f"empty token ({raw!r}) skipped")
                continue
            report.count("tokens")
            sentence.append(Token(token, tag.strip(), number))
    if sentence:
        yield sentence


def import_newsfane(path: str | Path, *, labels: str = "khabar", sentences_per_doc: int = 10,
                    report: ImportReport | None = None, strict: bool = True) -> Iterator[Article]:
    """Yield NewsFANE Gold pseudo-documents of ``sentences_per_doc`` sentences.

    ``labels``: ``"khabar"`` (default), ``"coarse"`` or ``"fine"`` (see the module docs). ``meta``
    holds ``sentences`` ([first, end)), ``sentence_offsets`` and ``lines`` (first and last file line).
    """
    report = report if report is not None else ImportReport("newsfane")
    type_map = _type_map(labels)
    schema = NEWSFANE_SCHEMAS[labels]
    file = resolve_file(path, DEFAULT_FILE, "NewsFANE Gold")
    sentences = list(read_sentences(file, report))
    report.count("sentences", len(sentences))
    for first, end in group_sentences(sentences, sentences_per_doc):
        parts = []
        sentence_offsets = []
        mentions: list[Mention] = []
        position = 0
        for sentence in sentences[first:end]:
            text, offsets = join_tokens([t.text for t in sentence])
            spans = iob2_spans(sentence, report, file.name, type_map)
            for mention in span_mentions(text, offsets, spans, sentence, report, file.name):
                mentions.append(Mention(f"m{len(mentions) + 1}", position + mention.start, position + mention.end,
                                        mention.label))
            sentence_offsets.append(position)
            parts.append(text)
            position += len(text) + 1
        doc_id = f"newsfane/s{first:05d}-{end - 1:05d}"
        meta = {"sentences": [first, end], "sentence_offsets": sentence_offsets,
                "lines": [sentences[first][0].line, sentences[end - 1][-1].line], "labels": labels}
        where = f"{file.name}:{meta['lines'][0]}-{meta['lines'][1]} ({doc_id})"
        fields = {"doc_id": doc_id, "text": "\n".join(parts), "variety": "msa",
                  "meta": meta, "entities": tuple(mentions),
                  "provenance": Provenance(source=f"newsfane:{file.name}")}
        article = checked(fields, schema, where, report, strict)
        if article is not None:
            report.count("articles")
            report.count("entities", len(mentions))
            yield article
