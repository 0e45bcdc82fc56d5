"""Saving and loading a trained baseline: one joblib file in a model folder (never committed).

Every scikit-learn baseline (:class:`~baselines.sklearn.ner.NerModel`, ``QuoteModel``, ``StanceModel``)
saves and loads through these two functions, so the refusals (missing file, another kind of model,
other feature version) read the same everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

__all__ = ["load_model", "save_model"]

Model = TypeVar("Model")


def save_model(model: Any, out_dir: str | Path, file_name: str) -> Path:
    """Write ``out_dir/file_name``; return its path."""
    import joblib

    path = Path(out_dir) / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return path


def load_model(cls: type[Model], model_dir: str | Path, file_name: str, *, task: str, feature_version: int) -> Model:
    """Read a model written by :func:`save_model` (``model_dir`` may be the folder or the file); refuse a
    missing file, another kind of object, or a model built with other features — each with the fix."""
    import joblib

    path = Path(model_dir)
    if path.is_dir():
        path = path / file_name
    if not path.is_file():
        raise FileNotFoundError(f"no {task} model at {path}; train one with "
                                f"`khabar baseline {task} train --train FILE --out DIR`")
    model = joblib.load(path)
    if not isinstance(model, cls):
        raise ValueError(f"{path} does not hold a {task} model (got {type(model).__name__}): retrain")
    found = getattr(model, "meta", {}).get("feature_version")
    if found != feature_version:
        raise ValueError(f"{path} was trained with feature version {found}, this code has {feature_version}: "
                         "retrain the model")
    return model
