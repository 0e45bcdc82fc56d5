"""Shared fixtures for the Label Studio tests: a hand-written article, and ONE real server per session.

The server fixture starts ``label-studio`` on a free loopback port with a temporary data dir; a
migrated data dir is cached under the pytest cache dir so later sessions start in seconds. When
``label-studio`` is not installed, the ``studio`` tests skip with the reason.
"""

from __future__ import annotations

import pytest

from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance

# A short made-up news paragraph in the house style (speaker named, then elided with وتابع).
TEXT = (
    'وقال بوتين في موسكو: "نحن مستعدون للتعاون". وتابع: "روسيا لن تتراجع". وأكد الرئيس الروسي أن الحوار ممكن.'
)


def sample_article(
    doc_id: str = "test/1", annotator: str | None = "ali@example.org", annotation_id: str = "11"
) -> Article:
    """A valid article exercising every layer: clusters, named and elided speakers, cues, stances."""
    text = TEXT
    moscow = text.index("موسكو")
    president = text.index("الرئيس الروسي")
    russia = text.index("روسيا")
    q1s = text.index('"نحن')
    q1e = text.index('للتعاون"') + len('للتعاون"')
    q2s = text.index('"روسيا')
    q2e = text.index('تتراجع"') + len('تتراجع"')
    q3s = text.index("الحوار")
    q3e = text.index("ممكن") + len("ممكن")
    return Article(
        doc_id=doc_id,
        text=text,
        title="بوتين والتعاون",
        source="test",
        published="2024-01-02",
        meta={"outlet": "test"},
        entities=(
            Mention("m1", 5, 10, "PER"),
            Mention("m2", moscow, moscow + 5, "GPE"),
            Mention("m4", russia, russia + 5, "GPE"),
            Mention("m3", president, president + len("الرئيس الروسي"), "PER", cluster="m1"),
        ),
        quotes=(
            Quote("q1", q1s, q1e, "direct", cue=Span(1, 4), speaker="m1"),
            Quote(
                "q2",
                q2s,
                q2e,
                "direct",
                cue=Span(text.index("تابع"), text.index("تابع") + 4),
                speaker="m1",
                speaker_elided=True,
            ),
            Quote(
                "q3", q3s, q3e, "indirect", cue=Span(text.index("أكد"), text.index("أكد") + 3), speaker="m3"
            ),
        ),
        stances=(
            Stance("st-q1", "q1", "التعاون", "favor"),
            Stance("st-q2", "q2", "روسيا", "against", target_mention="m4"),
            Stance("st-article", "article", "الحوار مع روسيا", "neutral"),
        ),
        provenance=Provenance(
            annotator=annotator,
            annotation_ids=(annotation_id,),
            lead_time=12.5,
            guidelines_version="1.0",
            source="export.json",
        ),
    )


@pytest.fixture()
def make_article():
    """The :func:`sample_article` factory."""
    return sample_article
