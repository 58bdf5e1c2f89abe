"""Every action the core writes to the audit log is told by the log's table, in every language.

The actions are found in ``scheduler/`` as the code writes them: the first argument of
``record`` and ``refuse_unless_admin``, and the constants named ``*ACTION*`` that feed them. A
new action without its entry in ``bot/features/audit/actions.py`` fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.features.audit.actions import AUDIT_ACTIONS, sentence_keys
from bot.i18n.catalog import LANGUAGES, load_catalog

ROOT = Path(__file__).resolve().parent.parent
CALLS = {"record", "refuse_unless_admin"}


def _strings(node: ast.AST | None) -> list[str]:
    """The action strings an expression can be: constants, both sides of an ``if``, values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.Dict):
        return [s for value in node.values for s in _strings(value)]
    if isinstance(node, ast.JoinedStr):
        raise AssertionError(f"an audited action built at run time: {ast.unparse(node)}")
    return []


def audited_actions() -> dict[str, str]:
    """Each action string the core records, with the file it is written in."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "scheduler").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named: dict[str, list[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and "action" in target.id.lower():
                        named.setdefault(target.id, []).extend(_strings(node.value))
        for strings in named.values():
            for action in strings:
                found.setdefault(action, str(path.relative_to(ROOT)))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in CALLS or not node.args:
                continue
            first = node.args[0]
            strings = _strings(first)
            if isinstance(first, ast.Name):
                strings = named.get(first.id, [])
            for action in strings:
                found.setdefault(action, str(path.relative_to(ROOT)))
    return found


def test_the_scan_finds_the_actions_the_core_records() -> None:
    found = audited_actions()
    assert {"plan.change", "status.report", "status.undo", "report.xlsx", "admin.promote"} <= set(
        found
    )
    assert len(found) >= 25


def test_every_audited_action_has_an_entry_in_the_logs_table() -> None:
    missing = {
        action: where for action, where in audited_actions().items() if action not in AUDIT_ACTIONS
    }
    assert missing == {}


def test_the_table_names_no_action_the_core_never_records() -> None:
    assert set(AUDIT_ACTIONS) - set(audited_actions()) == set()


def test_every_action_has_its_sentence_in_every_language() -> None:
    catalog = load_catalog()
    for language in LANGUAGES:
        assert sentence_keys() - catalog.keys(language) == set(), language
