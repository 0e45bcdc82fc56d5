"""``khabar publish``: upload a built public folder to the Hugging Face Hub.

Before anything is sent, :func:`check_publishable` makes sure the folder is a public Khabar
release and holds no private gold: no ``KHABAR_PRIVATE_GOLD`` marker, ``visibility`` public in
``khabar_release.json``, every gold column of the hidden split null in every parquet file, and
the files unchanged since the build (revision recomputed). Only then is
``huggingface_hub.HfApi().upload_folder`` called (never in tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmark.release.build import PRIVATE_MARKER, RELEASE_FILE
from benchmark.release.revision import verify_release

__all__ = ["PublishError", "check_publishable", "hub_failure", "publish_folder"]


class PublishError(ValueError):
    """The folder must not be uploaded; the message says why and what to do."""


def check_publishable(folder: str | Path) -> list[str]:
    """Every reason not to upload ``folder`` (empty list = safe to publish)."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    if (folder / PRIVATE_MARKER).exists():
        return [f"{folder}: holds {PRIVATE_MARKER}: this is the private gold folder; publish the public one"]
    record_path = folder / RELEASE_FILE
    if not record_path.exists():
        return [f"{folder}: no {RELEASE_FILE}; publish only folders built by `khabar build`"]
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if record.get("visibility") != "public":
        return [
            f"{folder}: {RELEASE_FILE} says visibility={record.get('visibility')!r}; only public folders "
            f"may be published"
        ]
    problems = list(verify_release(folder))
    hidden = record.get("hidden_split", "test")
    for name, config in record.get("configs", {}).items():
        gold = config.get("gold_columns", [])
        for path in sorted((folder / "data" / name).glob(f"{hidden}-*.parquet")):
            parquet = pq.ParquetFile(path)
            present = [c for c in gold if c in parquet.schema_arrow.names]
            if not present:
                continue
            table = parquet.read(columns=present)
            for column in present:
                filled = len(table) - table.column(column).null_count
                if filled:
                    problems.append(
                        f"{path.relative_to(folder)}: {filled} row(s) carry gold in column {column!r} "
                        f"of the hidden {hidden!r} split; rebuild with `khabar build`"
                    )
    return problems


def publish_folder(
    folder: str | Path,
    repo_id: str,
    *,
    private_repo: bool = False,
    token: str | None = None,
    commit_message: str | None = None,
) -> Any:
    """Check and upload ``folder`` to the dataset repo ``repo_id`` (created if needed)."""
    problems = check_publishable(folder)
    if problems:
        raise PublishError("refusing to publish:\n" + "\n".join(f"  - {p}" for p in problems))
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HTTPError

    folder = Path(folder)
    record = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8"))
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private_repo, exist_ok=True)
        return api.upload_folder(
            folder_path=str(folder),
            repo_id=repo_id,
            repo_type="dataset",
            commit_message=commit_message or f"Khabar release, revision {record['revision'][:12]}",
        )
    except (OSError, HTTPError) as error:  # offline mode, no network, no token, refused by the Hub
        raise PublishError(hub_failure(error, repo_id)) from None


def hub_failure(error: BaseException, repo_id: str) -> str:
    """One line for a failed upload: what went wrong and what to do (no traceback)."""
    from huggingface_hub.errors import HfHubHTTPError, LocalTokenNotFoundError, OfflineModeIsEnabled

    if isinstance(error, OfflineModeIsEnabled):
        return ("cannot reach the Hugging Face Hub: offline mode is on (HF_HUB_OFFLINE=1) (fix: unset "
                "HF_HUB_OFFLINE and run again where the Hub is reachable; `--check` works offline)")
    if isinstance(error, LocalTokenNotFoundError):
        return "no Hugging Face token (fix: `huggingface-cli login`, or set HF_TOKEN to a token with write access)"
    status = getattr(getattr(error, "response", None), "status_code", None)
    if isinstance(error, HfHubHTTPError) and status in (401, 403):
        return (f"the Hub refused the upload to {repo_id} (HTTP {status}) (fix: use a token with write access "
                f"to {repo_id.split('/')[0]}: `huggingface-cli login` or HF_TOKEN)")
    if isinstance(error, HfHubHTTPError):
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"the Hub answered an error for {repo_id}: {first} (fix: check the repo id and your rights on it)"
    return (f"cannot reach the Hugging Face Hub ({type(error).__name__}: {error}) (fix: check the network or "
            "proxy (HTTPS_PROXY) and run again; `--check` works offline)")
