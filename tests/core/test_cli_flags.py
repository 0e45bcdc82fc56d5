"""One flag spelling per meaning across every ``khabar`` sub-command (issue #17), and a quiet end
when stdout's reader goes away.

The meanings are those of :mod:`benchmark.cli._options`: ``--no-progress`` is the only visible way to
turn progress off (``--quiet`` survives as a hidden, deprecated alias of it), ``--json`` is a flag that
prints JSON on stdout (a report file is ``--report PATH``), ``--limit N`` reads at most N input items.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark.cli import BROKEN_PIPE, build_parser, main
from benchmark.cli._options import PROGRESS_OFF, _positive_int

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "annotations" / "gold" / "sample.articles.jsonl"
PROGRESS_WORDS = ("progress", "quiet", "silent", "verbose", "no-bar", "tqdm")


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """``(command path, parser)`` for every parser and sub-parser, depth first."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


COMMANDS = [(" ".join(path) or "khabar", parser) for path, parser in _commands(build_parser())]


def _options(parser: argparse.ArgumentParser):
    return [action for action in parser._actions if action.option_strings]


def test_every_sub_command_is_visited():
    names = {name for name, _ in COMMANDS}
    assert {"split", "build", "leakage", "stats", "import", "baseline ner train", "annotate agreement"} <= names


@pytest.mark.parametrize(("command", "parser"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_progress_off_is_spelled_no_progress_only(command, parser):
    for action in _options(parser):
        about_progress = action.dest == "progress" or any(
            word in option for option in action.option_strings for word in PROGRESS_WORDS
        )
        if not about_progress:
            continue
        assert action.dest == "progress", f"{command}: {action.option_strings} must set args.progress"
        if action.help == argparse.SUPPRESS:  # the hidden deprecated alias
            assert action.option_strings == ["--quiet"], f"{command}: unknown hidden alias {action.option_strings}"
        else:
            assert action.option_strings == [PROGRESS_OFF], f"{command}: spell it {PROGRESS_OFF}"
            assert action.default is True and action.const is False  # store_false into args.progress


@pytest.mark.parametrize(("command", "parser"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_json_is_a_flag_and_limit_counts_input_items(command, parser):
    for action in _options(parser):
        if "--json" in action.option_strings:
            assert action.nargs == 0 and action.const is True, f"{command}: --json is a flag (a file is --report)"
        if "--limit" in action.option_strings:
            assert action.dest == "limit" and action.type is _positive_int and action.default is None, (
                f"{command}: --limit comes from add_limit_option (at most N input items)"
            )
            assert action.help.startswith("read at most the first N"), command


def test_commands_that_show_progress_accept_no_progress():
    with_progress = {name for name, parser in COMMANDS
                     if any(PROGRESS_OFF in action.option_strings for action in _options(parser))}
    assert {"split", "build", "leakage", "rehydrate", "run", "leaderboard", "import", "baseline ner train",
            "baseline-hf ner train", "baseline-hf stance predict"} <= with_progress


def test_the_old_quiet_spelling_still_works_with_a_notice(capsys):
    args = build_parser().parse_args(["split", "x.jsonl", "--manifest", "m.json", "--quiet"])
    assert args.progress is False
    assert "--quiet is deprecated; use --no-progress" in capsys.readouterr().err
    assert build_parser().parse_args(["split", "x.jsonl", "--manifest", "m.json"]).progress is True


def test_limit_refuses_zero_and_words(capsys):
    for bad in ("0", "ten"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["import", "ans", "p", "--out", "o.jsonl", "--limit", bad])
    assert "must be at least 1" in capsys.readouterr().err


def test_stats_into_a_closed_pipe_ends_quietly():
    """``khabar stats FILE | head``: no BrokenPipeError traceback, exit code 141 (128 + SIGPIPE)."""
    process = subprocess.Popen([sys.executable, "-m", "benchmark", "stats", str(SAMPLE)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the command writes anything
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == BROKEN_PIPE
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr


def test_a_normal_run_still_returns_its_own_code(capsys):
    assert main(["stats", str(SAMPLE), "--json"]) == 0
    assert capsys.readouterr().out.lstrip().startswith("{")


FILE_FLAGS = {"--topics": "ARTICLE_TOPICS.jsonl", "--targets": "TARGETS.jsonl", "--topic-list": "TOPICS.txt"}


@pytest.mark.parametrize(("command", "parser"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_the_stance_inventory_files_have_one_spelling(command, parser):
    """``--topics`` is always a round's article topics, ``--targets`` the inventory, ``--topic-list`` the
    closed topic list (guidelines §6.5)."""
    for action in _options(parser):
        for option in action.option_strings:
            if option in FILE_FLAGS:
                assert action.metavar == FILE_FLAGS[option], f"{command}: {option} must mean {FILE_FLAGS[option]}"
