"""Rules in words for the rule list (translated; the command line has its own)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from qtmail.sieve.rules import Action, Condition, Rule


def _tr(text: str) -> str:
    return QCoreApplication.translate("RulesText", text)


FIELD_KEYS = ("from", "to", "cc", "recipient", "subject", "list-id", "header", "body",
              "size-over", "size-under")
MATCH_KEYS = (":contains", ":is", ":matches", ":regex")


def field_label(key: str) -> str:
    labels = {
        "from": _tr("From"), "to": _tr("To"), "cc": _tr("Cc"),
        "recipient": _tr("To or Cc"), "subject": _tr("Subject"), "list-id": _tr("List-Id"),
        "header": _tr("Header"), "body": _tr("Body"), "size-over": _tr("Size over"),
        "size-under": _tr("Size under"),
    }
    return labels[key]


def match_label(key: str) -> str:
    labels = {":contains": _tr("contains"), ":is": _tr("is"), ":matches": _tr("matches"),
              ":regex": _tr("matches regex")}
    return labels[key]


def condition_text(c: Condition) -> str:
    if c.kind == "size":
        return (_tr("size over {size}") if c.match == ":over" else _tr("size under {size}")
                ).format(size=c.size)
    if c.kind == "currentdate":
        return (_tr("from {date}") if c.match == "ge" else _tr("until {date}")).format(
            date=c.values[0])
    if c.kind == "true":
        return _tr("every message")
    what = field_label(c.field) if c.field != "header" else ", ".join(c.names)
    values = _tr(" or ").join(f"“{v}”" for v in c.values)
    text = f"{what} {match_label(c.match or ':is')} {values}"
    return _tr("not: {condition}").format(condition=text) if c.negated else text


def action_text(a: Action) -> str:
    if a.kind == "fileinto":
        return (_tr("copy to {folder}") if a.copy else _tr("move to {folder}")).format(
            folder=a.argument)
    if a.kind == "redirect":
        return (_tr("forward a copy to {address}") if a.copy else _tr(
            "redirect to {address}")).format(address=a.argument)
    if a.kind in ("addflag", "setflag"):
        lowered = a.argument.lower()
        if lowered == "\\seen":
            return _tr("mark read")
        if lowered == "\\flagged":
            return _tr("flag")
        return _tr("add keyword {keyword}").format(keyword=a.argument)
    if a.kind == "vacation":
        return _tr("automatic reply")
    return {"discard": _tr("delete"), "stop": _tr("stop here"), "keep": _tr("keep in Inbox")
            }.get(a.kind, a.kind)


def rule_text(rule: Rule) -> str:
    joiner = _tr(" or ") if rule.any_of else _tr(" and ")
    when = joiner.join(condition_text(c) for c in rule.conditions) or _tr("every message")
    actions = ", ".join(action_text(a) for a in rule.actions)
    return _tr("If {conditions}: {actions}").format(conditions=when, actions=actions)
