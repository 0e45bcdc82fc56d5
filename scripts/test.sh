#!/usr/bin/env bash
# The test command (README): install Khabar with every extra, then run the whole suite offline.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
python -m pip install --quiet -e ".[all]"
# Headless Chromium renders the leaderboard page in its screenshot test (Debian packages).
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed; browser tests will skip"
fi
python -m ruff check benchmark baselines tests scripts
# The declared floors are true: a release built here loads row for row with datasets/pyarrow/numpy at their floors
# (a throw-away venv; about a minute, most of it pip).
python scripts/check_floor.py
python -m pytest -q "$@"
