"""The stance baseline's optional frozen sentence embeddings (baselines.sklearn.encoder): the encoder itself on a tiny
random BERT built here, the ranker's similarity features on a stand-in encoder whose vectors are known, and the
model, CLI and error paths end to end. No pretrained model is read: the figures of the real one (multilingual-e5-small,
converted offline) are in docs/RESULTS.md."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from baselines.sklearn.encoder import EncoderError, SentenceEncoder
from baselines.sklearn.stance_holders import _document_pairs, assign_holder_quotes

TEXT = 'قال الوزير: "الاتفاق مع إيران خطأ كبير". وتابع المدرب: "الدوري السعودي قوي". وأضاف: "الطقس حار".'
TOPICS = [("إيران", "الاتفاق مع إيران خطأ كبير"), ("الدوري السعودي", "الدوري السعودي قوي هذا الموسم"),
          ("النفط", "أسعار النفط سترتفع قريبا"), ("التعليم", "التعليم يحتاج إلى إصلاح")]


def _span(surface: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


@pytest.fixture(scope="module")
def tiny_encoder_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from baselines.transformers.tiny import build_tiny_bert

    texts = [TEXT, *(q for _, q in TOPICS), *(t for t, _ in TOPICS), "query: passage: الطقس حار اليوم"] * 3
    return build_tiny_bert(texts, tmp_path_factory.mktemp("tiny-encoder"), vocab_size=300)


def test_embeddings_are_unit_rows_memoised_and_independent_of_their_batch(tiny_encoder_folder: Path):
    encoder = SentenceEncoder(str(tiny_encoder_folder))
    vectors = encoder.passages(["الطقس حار", "الاتفاق مع إيران خطأ كبير", "الطقس حار"])
    assert vectors.shape == (3, 32) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert np.array_equal(vectors[0], vectors[2])
    alone = SentenceEncoder(str(tiny_encoder_folder)).passages(["الطقس حار"])  # a batch of one, no padding
    assert np.array_equal(alone[0], vectors[0])
    assert not np.array_equal(encoder.queries(["الطقس حار"])[0], vectors[0])  # the prefix is read
    assert encoder.embed([]).shape == (0, 32)


def test_batches_are_formed_by_length_then_text_whatever_the_hash_seed(monkeypatch: pytest.MonkeyPatch):
    encoder = SentenceEncoder("unused", batch_size=2)
    batches: list[list[str]] = []

    def encode(tokenizer, model, batch):
        batches.append(list(batch))
        return np.ones((len(batch), 4), dtype=np.float32) / 2

    monkeypatch.setattr(encoder, "_load", lambda: (None, None))
    monkeypatch.setattr(encoder, "_encode", encode)
    encoder.embed(["ج", "بب", "أ", "ب", "أأ", "ج"])
    assert batches == [["أ", "ب"], ["ج", "أأ"], ["بب"]]  # same-length texts in text order: batch-mates are fixed


def test_a_pickled_encoder_keeps_its_settings_not_its_weights(tiny_encoder_folder: Path):
    encoder = SentenceEncoder(str(tiny_encoder_folder), max_length=64)
    before = encoder.passages(["الطقس حار"])
    blob = pickle.dumps(encoder)
    assert len(blob) < 2_000  # no tensors, no memo
    again = pickle.loads(blob)
    assert again.max_length == 64 and again._loaded is None
    assert np.array_equal(again.passages(["الطقس حار"]), before)


def test_the_modules_docstring_example_holds():
    import doctest

    import baselines.sklearn.encoder as module

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_an_unreadable_encoder_is_named_with_the_fix(tmp_path: Path):
    with pytest.raises(EncoderError, match=r"no-such-encoder.*khabar convert-e5"):
        SentenceEncoder(str(tmp_path / "no-such-encoder")).passages(["نص"])


class KeywordEncoder:
    """A stand-in encoder: a text's vector is the one-hot of the first keyword it contains (else the last axis)."""

    KEYWORDS = ("إيران", "الدوري", "الطقس")

    def _vector(self, text: str) -> np.ndarray:
        hits = [i for i, word in enumerate(self.KEYWORDS) if word in text]
        vector = np.zeros(len(self.KEYWORDS) + 1, dtype=np.float32)
        vector[hits[0] if hits else -1] = 1.0
        return vector

    def queries(self, texts):
        return np.stack([self._vector(t) for t in texts])

    def passages(self, texts):
        return np.stack([self._vector(t) for t in texts])


def test_the_ranker_features_read_the_target_quote_similarity():
    spans = [_span("الاتفاق مع إيران خطأ كبير"), _span("الدوري السعودي قوي"), _span("الطقس حار")]
    targets = ["إيران", "الدوري السعودي"]
    plain = _document_pairs(TEXT, spans, targets, set(), {t: 1 for t in targets})
    pairs = _document_pairs(TEXT, spans, targets, set(), {t: 1 for t in targets}, KeywordEncoder())
    assert not any(k.startswith("emb_") for k in plain[0][0])
    iran, league = pairs
    assert iran[0]["emb_quote"] == 5.0 and iran[1]["emb_quote"] == 0.0 and iran[0]["emb_quote_rank=0"] == 1.0
    assert iran[0]["emb_quote_best_target"] == 1.0 and iran[0]["emb_quote_margin"] == 5.0
    assert league[0]["emb_quote_best_target"] == 0.0 and league[1]["emb_quote_best_target"] == 1.0
    # the context view reads the words before the quote too: the league quote's context holds the Iran quote
    assert league[1]["emb_context"] == 0.0 and iran[1]["emb_context"] == 5.0
    for key in ("rel_quote", "rel_left", "position"):  # the other features are untouched
        assert pairs[0][0][key] == plain[0][0][key]


def _training_rows(n_docs: int = 12) -> list[dict]:
    rows = []
    for d in range(n_docs):
        (t1, q1), (t2, q2) = TOPICS[d % 4], TOPICS[(d + 1) % 4]
        text = f'قال الوزير: "{q1}". وتابع المدرب: "{q2}". وأضاف: "الطقس حار اليوم".'
        rows.append({"id": f"t{d}#1", "doc_id": f"t{d}", "text": text, "target": "الوزارة",
                     "holder_kind": "article", "holder_start": -1, "holder_end": -1, "label": "neutral"})
        for number, (target, quote) in enumerate(((t1, q1), (t2, q2)), start=2):
            start, end = _span(quote, text)
            rows.append({"id": f"t{d}#{number}", "doc_id": f"t{d}", "text": text, "target": target + " والموقف",
                         "holder_kind": "quote", "holder_start": start, "holder_end": end,
                         "label": "against" if number == 2 else "favor"})
    return rows


def test_a_stance_model_with_an_encoder_uses_it_in_classifier_and_ranker_and_survives_saving(
        tiny_encoder_folder: Path, tmp_path: Path):
    from baselines.sklearn.stance import StanceModel

    rows = _training_rows()
    plain = StanceModel.train(rows)
    model = StanceModel.train(rows, encoder=str(tiny_encoder_folder))
    assert model.meta["encoder"].startswith(str(tiny_encoder_folder)) and plain.meta["encoder"] is None
    assert model.meta["n_features"] == plain.meta["n_features"] + 2 * 32  # the holder quote's and its context's
    assert model.meta["C"] == 0.5 and plain.meta["C"] == 1.0
    assert model.holder_ranker.encoder is model.encoder
    assert "emb_quote" in model.holder_ranker.vectorizer.vocabulary_
    labels = model.predict(rows)
    loaded = StanceModel.load(model.save(tmp_path / "model").parent)
    assert loaded.encoder.model == str(tiny_encoder_folder) and loaded.encoder._loaded is None
    assert loaded.predict(rows) == labels
    inputs = [{k: r[k] for k in ("id", "doc_id", "text", "target", "holder_kind")} for r in rows[:3]]
    text = rows[0]["text"]
    candidates = {"t0": [_span("الطقس حار اليوم", text), *((r["holder_start"], r["holder_end"]) for r in rows[1:3])]}
    named = assign_holder_quotes(inputs, candidates, ranker=loaded.holder_ranker)
    assert [(r["holder_start"], r["holder_end"]) for r in named[1:]] == [
        (r["holder_start"], r["holder_end"]) for r in rows[1:3]]


def test_the_cli_trains_with_an_encoder_and_refuses_a_missing_one(stance_articles_path: Path, tmp_path: Path,
                                                                   tiny_encoder_folder: Path, capsys):
    from benchmark.cli import main

    assert main(["baseline", "stance", "train", "--train", str(stance_articles_path), "--out", str(tmp_path / "m"),
                 "--encoder", str(tiny_encoder_folder)]) == 0
    printed = capsys.readouterr().out
    assert "'encoder': " in printed and f"{tiny_encoder_folder} (mean-pooled" in printed
    code = main(["baseline", "stance", "train", "--train", str(stance_articles_path), "--out", str(tmp_path / "n"),
                 "--encoder", str(tmp_path / "missing")])
    captured = capsys.readouterr()
    assert code != 0 and "Traceback" not in captured.err
    assert "missing" in captured.err and "khabar convert-e5" in captured.err


@pytest.mark.slow
def test_khabar_run_gives_the_stance_baseline_the_encoder_and_names_it(tmp_path: Path, tiny_encoder_folder: Path,
                                                                       capsys):
    import json

    from benchmark.cli import main

    out = tmp_path / "run"
    assert main(["run", "--out", str(out), "--no-progress", "--encoder", str(tiny_encoder_folder)]) == 0
    assert "[baselines] stance embedding features: " in capsys.readouterr().out
    metadata = json.loads((out / "submissions" / "sklearn-baselines" / "metadata.json").read_text(encoding="utf-8"))
    assert f"frozen sentence embeddings of {tiny_encoder_folder}" in metadata["model"]
    assert (out / "results" / "stance" / "results.json").is_file()


def test_khabar_run_refuses_an_unreadable_encoder_before_training(tmp_path: Path, capsys):
    from benchmark.cli import main

    assert main(["run", "--out", str(tmp_path / "run"), "--no-progress", "--encoder", str(tmp_path / "nowhere")]) == 1
    captured = capsys.readouterr()
    assert "[baselines] fold" not in captured.out and "Traceback" not in captured.err
    assert "nowhere" in captured.err and "khabar convert-e5" in captured.err


def test_the_encoder_context_is_the_words_before_the_holder_quote():
    from baselines.sklearn.stance import ENCODER_CONTEXT_CHARS, encoder_context

    text = "مقدمة " * 40 + 'وانتقد الوزير القرار قائلا: "خطأ كبير"'
    start = text.index("خطأ")
    row = {"text": text, "holder_start": start, "holder_end": start + 8}
    context = encoder_context(row)
    assert len(context) == ENCODER_CONTEXT_CHARS and context.endswith('وانتقد الوزير القرار قائلا: "')
    assert encoder_context({"text": text, "holder_start": -1, "holder_end": -1}) == text[:ENCODER_CONTEXT_CHARS]
    assert encoder_context({"text": "قصير", "holder_start": 0, "holder_end": 4}) == "قصير"  # nothing before it
