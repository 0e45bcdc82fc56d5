"""Importers from public corpora to :class:`~benchmark.model.Article` records, and their registry.

Each corpus has a module with ``import_<corpus>(path, **options) -> Iterator[Article]`` and its
own :class:`~benchmark.schema.LabelSchema` (labels are never silently re-labelled into Khabar's).
:data:`IMPORTERS` maps a name to an :class:`Importer` that also carries licence, citation and
homepage, so dataset cards can read them from here.

>>> sorted(IMPORTERS)
['anercorp', 'ans', 'baly2018', 'conll', 'mawqif', 'newsfane', 'saudinewsnet']
>>> IMPORTERS["ans"].schema.stance_labels
('agree', 'disagree', 'other')

Usage (streams; ``report`` collects counters and located notes)::

    report = ImportReport("anercorp")
    for article in IMPORTERS["anercorp"].load("../shared/data/anercorp", report=report):
        ...
    print(report.summary())
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.importers._common import ImportNote, ImportProblem, ImportReport
from benchmark.importers.anercorp import ANERCORP_SCHEMA, import_anercorp
from benchmark.importers.ans import ANS_SCHEMA, import_ans
from benchmark.importers.baly2018 import BALY_SCHEMA, import_baly2018
from benchmark.importers.conll import CONLL_SCHEMA, import_conll
from benchmark.importers.mawqif import MAWQIF_SCHEMA, import_mawqif
from benchmark.importers.newsfane import NEWSFANE_SCHEMAS, import_newsfane
from benchmark.importers.saudinewsnet import SAUDINEWSNET_SCHEMA, import_saudinewsnet
from benchmark.model import Article
from benchmark.schema import LabelSchema

__all__ = ["IMPORTERS", "ImportNote", "ImportProblem", "ImportReport", "Importer", "get_importer"]


@dataclass(frozen=True)
class Importer:
    """A registered corpus importer and the facts a dataset card needs about the corpus."""

    name: str
    schema: LabelSchema
    license: str
    citation: str
    homepage: str
    description: str
    fn: Callable[..., Iterator[Article]]
    option_schemas: Mapping[str, Mapping[Any, LabelSchema]] = field(default_factory=dict)

    def options(self) -> dict[str, Any]:
        """The keyword options ``fn`` accepts and their defaults (``report`` excluded)."""
        signature = inspect.signature(self.fn)
        return {name: p.default for name, p in signature.parameters.items()
                if p.kind is p.KEYWORD_ONLY and name != "report"}

    def schema_for(self, **options: Any) -> LabelSchema:
        """The schema the articles are validated against with these options (a ``schema`` option,
        a :class:`LabelSchema`, a built-in name or a file, wins)."""
        if options.get("schema") is not None and "schema" in self.options():
            from benchmark.schema import resolve_schema

            return resolve_schema(options["schema"])  # type: ignore[return-value]
        for option, schemas in self.option_schemas.items():
            value = options.get(option, self.options().get(option))
            if value in schemas:
                return schemas[value]
        return self.schema

    def load(self, path: str | Path, **options: Any) -> Iterator[Article]:
        """Run the importer; unknown options raise ``TypeError`` listing the known ones."""
        known = set(self.options()) | {"report"}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"{self.name}: unknown option(s) {unknown}; known: {sorted(known - {'report'})}")
        return self.fn(path, **options)


IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        Importer(
            name="anercorp",
            schema=ANERCORP_SCHEMA,
            license="unstated in the source repo; the CAMeL Lab re-release is CC BY-SA 4.0 (not checked "
                    "at the primary source)",
            citation="Y. Benajiba, P. Rosso, J.M. Benedí Ruiz. ANERsys: An Arabic Named Entity Recognition "
                     "System Based on Maximum Entropy. CICLing 2007.",
            homepage="https://camel.abudhabi.nyu.edu/anercorp/",
            description="Arabic newswire NER (PER/LOC/ORG/MISC), ~150k tokens, as pseudo-documents of N "
                        "sentences with the sequential CAMeL Lab train/test split.",
            fn=import_anercorp,
        ),
        Importer(
            name="newsfane",
            schema=NEWSFANE_SCHEMAS["khabar"],
            license="CC BY-SA 3.0 Unported",
            citation="F. Alotaibi and M. Lee. A Hybrid Approach to Features Representation for Fine-grained "
                     "Arabic Named Entity Recognition. COLING 2014.",
            homepage="http://www.cs.bham.ac.uk/~fsa081/",
            description="NewsFANE Gold: fine-grained Arabic newswire NER (~168k tokens, 4,760 sentences), "
                        "mapped to Khabar's coarse labels by default.",
            fn=import_newsfane,
            option_schemas={"labels": NEWSFANE_SCHEMAS},
        ),
        Importer(
            name="ans",
            schema=ANS_SCHEMA,
            license="Apache-2.0 (README badge; no LICENSE file)",
            citation="J. Khouja. Stance Prediction and Claim Verification: An Arabic Perspective. "
                     "FEVER workshop, ACL 2020. arXiv:2005.10410.",
            homepage="https://github.com/latynt/ans",
            description="ANS: Arabic news-title sentence pairs with stance agree/disagree/other, official "
                        "train/dev/test split.",
            fn=import_ans,
        ),
        Importer(
            name="baly2018",
            schema=BALY_SCHEMA,
            license="none stated",
            citation="R. Baly, M. Mohtarami, J. Glass, L. Màrquez, A. Moschitti, P. Nakov. Integrating "
                     "Stance Detection and Fact Checking in a Unified Corpus. NAACL-HLT 2018.",
            homepage="https://alt.qcri.org/resources/arabic-fact-checking-and-stance-detection-corpus/",
            description="Claim–article stance (agree/disagree/discuss/unrelated), 422 claims, 3,042 pairs, "
                        "5 claim-level folds.",
            fn=import_baly2018,
        ),
        Importer(
            name="mawqif",
            schema=MAWQIF_SCHEMA,
            license="none stated",
            citation="N. Alturayeif, H. Luqman, M. Ahmed. Mawqif: A Multi-label Arabic Dataset for "
                     "Target-specific Stance Detection. WANLP, EMNLP 2022.",
            homepage="https://github.com/NoraAlt/Mawqif-Arabic-Stance",
            description="Target-specific stance (Favor/Against/None) in multi-dialectal Arabic tweets, "
                        "official train/test split.",
            fn=import_mawqif,
        ),
        Importer(
            name="conll",
            schema=CONLL_SCHEMA,
            license="the licence of your own file",
            citation="",
            homepage="",
            description="any CoNLL-style file: one token per line, one tag column per nesting depth (IOB2, IOB1 "
                        "or BIOES), sentences split by blank lines or a marker, documents by a marker or N "
                        "sentences (docs/importers.md)",
            fn=import_conll,
        ),
        Importer(
            name="saudinewsnet",
            schema=SAUDINEWSNET_SCHEMA,
            license="CC BY-NC-SA 4.0 (non-commercial; article copyright stays with each newspaper)",
            citation="M. Alhagri. Saudi Newspapers Arabic Corpus (SaudiNewsNet). 2015. "
                     "http://github.com/ParallelMazen/SaudiNewsNet",
            homepage="https://github.com/ParallelMazen/SaudiNewsNet",
            description="31,030 raw Saudi newspaper articles (July–August 2015), no annotations.",
            fn=import_saudinewsnet,
        ),
    )
}


def get_importer(name: str) -> Importer:
    """The registered importer ``name`` (``KeyError`` listing the known names)."""
    try:
        return IMPORTERS[name]
    except KeyError:
        raise KeyError(f"no importer named {name!r}; known: {sorted(IMPORTERS)}") from None
