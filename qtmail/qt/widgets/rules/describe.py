"""Rules in words for the rule list (translated; the command line has its own)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from qtmail.sieve.rules import Action, Condition, Rule

FIELD_KEYS = ("from", "to", "cc", "recipient", "subject", "list-id", "header", "body",
              "size-over", "size-under")
MATCH_KEYS = (":contains", ":is", ":matches", ":regex")


def field_label(key: str) -> str:
    # Literal translate() calls: pyside6-lupdate finds only those.
    labels = {
        "from": QCoreApplication.translate("RulesText", "From"),
        "to": QCoreApplication.translate("RulesText", "To"),
        "cc": QCoreApplication.translate("RulesText", "Cc"),
        "recipient": QCoreApplication.translate("RulesText", "To or Cc"),
        "subject": QCoreApplication.translate("RulesText", "Subject"),
        "list-id": QCoreApplication.translate("RulesText", "List-Id"),
        "header": QCoreApplication.translate("RulesText", "Header"),
        "body": QCoreApplication.translate("RulesText", "Body"),
        "size-over": QCoreApplication.translate("RulesText", "Size over"),
        "size-under": QCoreApplication.translate("RulesText", "Size under"),
    }
    return labels[key]


def match_label(key: str) -> str:
    labels = {
        ":contains": QCoreApplication.translate("RulesText", "contains"),
        ":is": QCoreApplication.translate("RulesText", "is"),
        ":matches": QCoreApplication.translate("RulesText", "matches"),
        ":regex": QCoreApplication.translate("RulesText", "matches regex"),
    }
    return labels[key]


def condition_text(c: Condition) -> str:
    if c.kind == "size":
        template = QCoreApplication.translate("RulesText", "size over {size}") \
            if c.match == ":over" else QCoreApplication.translate("RulesText",
                                                                  "size under {size}")
        return template.format(size=c.size)
    if c.kind == "currentdate":
        template = QCoreApplication.translate("RulesText", "from {date}") if c.match == "ge" \
            else QCoreApplication.translate("RulesText", "until {date}")
        return template.format(date=c.values[0])
    if c.kind == "true":
        return QCoreApplication.translate("RulesText", "every message")
    what = field_label(c.field) if c.field != "header" else ", ".join(c.names)
    values = QCoreApplication.translate("RulesText", " or ").join(f"“{v}”" for v in c.values)
    text = QCoreApplication.translate("RulesText", "{field} {comparison} {values}").format(
        field=what, comparison=match_label(c.match or ":is"), values=values)
    return QCoreApplication.translate("RulesText", "not: {condition}").format(
        condition=text) if c.negated else text


def action_text(a: Action) -> str:
    if a.kind == "fileinto":
        template = QCoreApplication.translate("RulesText", "copy to {folder}") if a.copy \
            else QCoreApplication.translate("RulesText", "move to {folder}")
        return template.format(folder=a.argument or "…")  # a new rule: folder to choose
    if a.kind == "redirect":
        template = QCoreApplication.translate("RulesText", "forward a copy to {address}") \
            if a.copy else QCoreApplication.translate("RulesText", "redirect to {address}")
        return template.format(address=a.argument)
    if a.kind in ("addflag", "setflag"):
        lowered = a.argument.lower()
        if lowered == "\\seen":
            return QCoreApplication.translate("RulesText", "mark read")
        if lowered == "\\flagged":
            return QCoreApplication.translate("RulesText", "flag")
        return QCoreApplication.translate("RulesText", "add keyword {keyword}").format(
            keyword=a.argument)
    if a.kind == "vacation":
        return QCoreApplication.translate("RulesText", "automatic reply")
    names = {"discard": QCoreApplication.translate("RulesText", "delete"),
             "stop": QCoreApplication.translate("RulesText", "stop here"),
             "keep": QCoreApplication.translate("RulesText", "keep in Inbox")}
    return names.get(a.kind, a.kind)


def rule_text(rule: Rule) -> str:
    joiner = QCoreApplication.translate("RulesText", " or ") if rule.any_of \
        else QCoreApplication.translate("RulesText", " and ")
    when = joiner.join(condition_text(c) for c in rule.conditions) or \
        QCoreApplication.translate("RulesText", "every message")
    actions = ", ".join(action_text(a) for a in rule.actions)
    return QCoreApplication.translate("RulesText", "If {conditions}: {actions}").format(
        conditions=when, actions=actions)
