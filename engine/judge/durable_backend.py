"""durable-rules, wrapped so that its known pitfalls cannot reach a user.

Measured pitfalls (../shared/notes/durable-rules.md) and what this module does about each:
1. exceptions inside actions are swallowed -> no Python action runs at all: `judge` drives
   durable's C engine itself (assert the fact, take each fired action, complete it, delete
   the session) and reads the outcome from the fired rule's name;
2. a rule matching only "field missing" fires forever on the state fact -> every pattern
   requires `type == patuh_subject` and the rule id;
3. Host timer threads ran actions off-thread and lost results -> `_run` does nothing, so
   all work stays on the calling thread;
4./7. live-session limits and sid hash collisions -> exactly one live session at a time,
   holding exactly one fact, deleted before the next (a fresh counter sid each time);
5. large rulesets failed with error 303 -> at most RULES_PER_RULESET patuh rules (at most
   five durable rules each) per durable ruleset;
- a fact that matched no rule (every "unknown" subject) made the next `delete_state`
  corrupt memory and abort the process -> every patuh rule also has a catch-all durable
  rule (type and rule id only) whose action records nothing, so no fact goes unhandled,
  and an unhandled fact is an error rather than a silent "unknown";
6. `$or` fires once per true branch -> outcomes are collected as a set;
- a registered ruleset cannot change -> one Host per compiled rule-set version;
- `register_rulesets` deletes `run` from the dict -> each registration gets a fresh dict;
- a condition with many `any` branches (about 14 pairs) is refused with "error code 113" ->
  the refused rule is found by registering each alone, and named in the error.
"""

from __future__ import annotations

import itertools
import re
import threading
from typing import Any, Iterable

import json

import durable_rules_engine
from durable import engine as durable_engine

from .compile import SUBJECT_TYPE, CompiledRule
from ..problems import CannotRun

# One patuh rule per durable ruleset: durable matches a fact against every rule of its
# ruleset, so a fact judged in a ruleset of 18 patuh rules (about 60 durable rules) cost
# 114 µs, and in a ruleset of its own rule 66-74 µs (5,117 subject facts of 40 synthetic units).
RULES_PER_RULESET = 1


class RuleEngineError(CannotRun, RuntimeError):
    """durable-rules failed in a way the audit cannot recover from."""


class _CallingThreadHost(durable_engine.Host):
    def _run(self) -> None:  # pitfall 3: no timer thread work
        return None


class DurableJudge:
    """Judges subject facts against one compiled rule-set version with durable-rules."""

    _lock = threading.Lock()

    def __init__(self, name: str, compiled_rules: Iterable[CompiledRule]):
        self._host = _CallingThreadHost()
        self._ruleset_of: dict[str, str] = {}
        self._outcome_of_action: dict[str, str | None] = {}
        self._sid_counter = itertools.count(1)
        safe_name = re.sub(r"[^A-Za-z0-9_]", "_", name)
        compiled_rules = list(compiled_rules)
        rulesets: dict[str, dict[str, Any]] = {}
        for chunk_index in range(0, len(compiled_rules), RULES_PER_RULESET):
            ruleset_name = f"{safe_name}_{chunk_index // RULES_PER_RULESET}"
            definitions: dict[str, Any] = {}
            for compiled in compiled_rules[chunk_index:chunk_index + RULES_PER_RULESET]:
                self._ruleset_of[compiled.rule.id] = ruleset_name
                for outcome, pattern in compiled.patterns.items():
                    definitions[f"{compiled.rule.id}__{outcome}"] = {"all": [{"m": pattern}], "run": _no_action}
                    self._outcome_of_action[f"{compiled.rule.id}__{outcome}"] = outcome
                definitions[f"{compiled.rule.id}__seen"] = {
                    "all": [{"m": {"$and": [{"type": SUBJECT_TYPE}, {"rule": compiled.rule.id}]}}],
                    "run": _no_action,
                }
                self._outcome_of_action[f"{compiled.rule.id}__seen"] = None
            rulesets[ruleset_name] = definitions
        if rulesets:
            try:
                self._host.register_rulesets(rulesets)
            except Exception as error:
                raise RuleEngineError(self._culprit(compiled_rules, error)) from None

    @staticmethod
    def _culprit(compiled_rules: list[CompiledRule], error: Exception) -> str:
        """Name the rule durable-rules refused (it says only "error code 113" for a condition
        with too many `any` branches), by registering each rule alone."""
        for compiled in compiled_rules:
            probe = _CallingThreadHost()
            definitions = {f"probe__{outcome}": {"all": [{"m": pattern}], "run": lambda context: None}
                           for outcome, pattern in compiled.patterns.items()}
            try:
                probe.register_rulesets({"patuh_probe": definitions})
            except Exception as rule_error:
                return (f"rule {compiled.rule.id}: durable-rules cannot register its condition ({rule_error}); "
                        "split it or use fewer `any` branches")
        return f"durable-rules refused the rule set: {error}"

    def judge(self, fact: dict[str, Any]) -> set[str]:
        """The outcomes whose pattern the fact matches (empty: unknown).

        The same calls durable's Host.assert_fact makes (Ruleset.assert_fact, do_actions,
        _flush_actions in durable/engine.py 2.0.28), without its per-action Python machinery
        (a closure, the state encoded and decoded, a promise): 62 -> 30 µs per subject fact.
        Each fired action is completed with the session state unchanged, as an action that
        does nothing would leave it.
        """
        ruleset = self._host.get_ruleset(self._ruleset_of[fact["rule"]])
        handle = ruleset._handle
        with self._lock:
            sid = f"patuh-{next(self._sid_counter)}"
            outcomes: set[str] = set()
            try:
                state_handle = ruleset._handle_result(
                    durable_rules_engine.assert_fact(handle, json.dumps(dict(fact, sid=sid), ensure_ascii=False)), fact)
            except durable_engine.MessageNotHandledException:
                # Cannot happen while the catch-all rule exists; deleting this session could
                # corrupt durable's memory, so stop here instead.
                raise RuleEngineError(f"durable-rules did not handle the facts of rule {fact['rule']}") from None
            except Exception as error:
                raise RuleEngineError(f"durable-rules refused the facts of rule {fact['rule']}: {error}") from error
            try:
                fired = 0
                started = durable_rules_engine.start_action_for_state(handle, state_handle)
                state, message = (started[0], started[1]) if started else (None, None)
                while message:
                    action = next(iter(json.loads(message)))  # as durable reads it: the first key
                    fired += 1
                    if self._outcome_of_action[action] is not None:
                        outcomes.add(self._outcome_of_action[action])
                    durable_rules_engine.update_state(handle, state)
                    message = durable_rules_engine.complete_and_start_action(handle, state_handle)
            except Exception as error:
                raise RuleEngineError(f"durable-rules failed on rule {fact['rule']}: {error}") from error
            finally:
                durable_rules_engine.delete_state(handle, sid)
            if not fired:
                # The catch-all rule fires on every fact; nothing fired means durable lost it.
                raise RuleEngineError(f"durable-rules ran no rule on the facts of rule {fact['rule']}")
            return outcomes


def _no_action(context: Any) -> None:
    """Registered as every rule's action, which durable requires; `judge` never runs actions."""
