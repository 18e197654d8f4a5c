"""The list table every list page shows, written once (#23 item 6).

    {% load i18n wushe_lists %}
    {% listtable page as org testid="orgs-table" cols=6 empty=_("No organisation matches.") target="#results" %}
      <th scope="col">{% translate "Name" %}</th> …
    {% listrow %}
      <tr><td>{{ org.name }}</td> …</tr>
    {% endlisttable %}

renders ``web/partials/list_table.html``: the card, the table with its header row, one row a
record (the part after ``{% listrow %}``, with the record under the name after ``as``; ``as p, burn``
unpacks pairs as ``{% for %}`` does), the empty-state row (``empty`` across ``cols`` columns) when
there is none, and the pagination footer of the context's ``page`` (``target``: the element an
htmx page link replaces). ``table_class`` replaces the table's classes when a page wants others.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString

register = template.Library()

TEMPLATE = "web/partials/list_table.html"
DEFAULT_TABLE_CLASS = "table table-hover align-middle mb-0"
OPTIONS = frozenset({"testid", "cols", "empty", "target", "table_class"})


class ListTableNode(template.Node):
    def __init__(
        self,
        sequence: FilterExpression,
        names: list[str],
        options: dict[str, FilterExpression],
        head: NodeList,
        row: NodeList,
    ) -> None:
        self.sequence = sequence
        self.names = names
        self.options = options
        self.head = head
        self.row = row

    def _rows(self, context: Context) -> list[SafeString]:
        items: Iterable[Any] = self.sequence.resolve(context, ignore_failures=True) or ()
        rendered = []
        for item in items:
            if len(self.names) == 1:
                values = {self.names[0]: item}
            else:
                values = dict(zip(self.names, item, strict=True))
            with context.push(**values):
                rendered.append(self.row.render(context))
        return rendered

    def render(self, context: Context) -> str:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        values = {
            "list_head": self.head.render(context),  # a SafeString, as every rendered node list
            "list_rows": self._rows(context),
            "list_testid": options.get("testid") or "",
            "list_cols": options.get("cols") or 1,
            "list_empty": options.get("empty") or "",
            "list_table_class": options.get("table_class") or DEFAULT_TABLE_CLASS,
            "target": options.get("target") or "",
        }
        assert context.template is not None
        partial = context.template.engine.get_template(TEMPLATE)
        with context.push(**values):
            return partial.render(context)


@register.tag("listtable")
def listtable(parser: Parser, token: Token) -> ListTableNode:
    bits = token.split_contents()
    tag = bits[0]
    if len(bits) < 4 or bits[2] != "as":
        raise template.TemplateSyntaxError(
            f"{tag} is written '{tag} <sequence> as <name> key=value …'"
        )
    sequence = parser.compile_filter(bits[1])
    rest = bits[3:]
    names_text = []
    while rest and "=" not in rest[0]:
        names_text.append(rest.pop(0))
    names = [name.strip() for name in " ".join(names_text).split(",") if name.strip()]
    if not names:
        raise template.TemplateSyntaxError(f"{tag} needs a name after 'as'")
    options: dict[str, FilterExpression] = {}
    for bit in rest:
        key, sep, value = bit.partition("=")
        if not sep or key not in OPTIONS:
            raise template.TemplateSyntaxError(
                f"{tag}: unknown option {bit!r} (one of {sorted(OPTIONS)})"
            )
        options[key] = parser.compile_filter(value)
    head = parser.parse(("listrow",))
    parser.delete_first_token()
    row = parser.parse(("endlisttable",))
    parser.delete_first_token()
    return ListTableNode(sequence, names, options, head, row)
