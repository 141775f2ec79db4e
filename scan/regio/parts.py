"""A stored publication in parts, so that a page reads only what it shows. Pure, no database.

The payload of a publication (scan.regio.publish.payload) grows with the region: at 40,000 professionals
it is megabytes, and parsing it on every request would make every regional page slower as the region grows.
It is therefore also stored split by where a page needs it:

- `meta`: the columns (sections, items, levels), every municipality's id, code, name and size (the pager
  and the filter), the region's own group and figures, and per item the number of municipalities with a
  goal on it (the scholingsplan's regional group offers, read from shown figures only);
- `m<municipality id>`: one municipality's groups (the municipality and its team groups) and their figures
  (a region of one municipality has only `meta`).

Aliases are resolved when splitting: each part holds, for every position a reader may ask for, the figure
it shows (None where hidden). `merge(meta, [part, ...])` gives back a payload of the same shape as the
whole one, limited to those municipalities: scan.regio.overview reads either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scan.regio.disclosure.linked import ALL, MEASURES, VIEWS, s_key

META = "meta"
_COLUMNS = ("k", "sections", "section_levels", "items", "item_meta")


def scope(municipality_id: int) -> str:
    return f"m{municipality_id}"


def _group_of(position: str) -> str:
    """The group key of a position (see scan.regio.disclosure.linked: s|m|level|group|section,
    st|m|view|group,
    i|m|group|item, it|m|view|group)."""
    fields = position.split("|")
    return fields[2] if fields[0] == "i" else fields[3]


def _highest(data: dict[str, Any], figure: Callable[[str], int | None], municipalities: list[list[Any]],
             measure: str, view: str) -> int:
    """The largest shown municipality figure per leefgebied of a view: the heat map's scale is the same on
    every page of municipalities (as scan.regio.overview picks the cells of a view)."""
    levels: dict[str, list[str]] = data["section_levels"]
    values = [
        figure(s_key(measure, view if view != ALL and len(levels.get(c, ())) > 1 else ALL, g[0], c))
        for c in data["sections"] if view == ALL or view in levels.get(c, ())
        for g in municipalities
    ]
    return max((v for v in values if v is not None), default=0)


def split(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The whole payload as its parts (see the module docstring), keyed by scope."""
    shown: dict[str, int | None] = data["shown"]
    alias: dict[str, str] = data.get("alias", {})
    groups: list[list[Any]] = data["groups"]

    def figure(position: str) -> int | None:
        while position in alias:
            position = alias[position]
        return shown.get(position, 0)

    # A region of one municipality has no region row of its own (the municipality is the region): then
    # everything is in `meta`.
    single = not any(g[1] == "region" for g in groups)
    where = {g[0]: (META if single or g[1] == "region" or g[2] is None else scope(g[2])) for g in groups}
    municipalities = [g for g in groups if g[1] == "municipality"]
    meta: dict[str, Any] = {key: data[key] for key in _COLUMNS}
    meta |= {
        "groups": [],
        "shown": {},
        "municipalities": [[g[2], g[3], g[4], g[6]] for g in municipalities],
        "group_count": sum(1 for g in groups if g[1] == "team") or len(municipalities),
        "highest": {m: {view: _highest(data, figure, municipalities, m, view) for view in VIEWS}
                    for m in MEASURES},
        "spread": {
            item: sum(1 for g in municipalities
                      if (value := figure(f"i|goal|{g[0]}|{item}")) is None or value > 0)
            for item in data["items"]
        },
    }
    parts: dict[str, dict[str, Any]] = {META: meta}
    for g in groups:
        parts.setdefault(where[g[0]], {"groups": [], "shown": {}})["groups"].append(g)
    for position in (*shown, *alias):
        parts[where.get(_group_of(position), META)]["shown"][position] = figure(position)
    return parts


def merge(meta: dict[str, Any], chosen: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A payload with the columns and region of `meta` and the groups and figures of the chosen parts."""
    data = dict(meta)
    data["groups"] = list(meta["groups"])
    data["shown"] = dict(meta["shown"])
    data["alias"] = {}
    for part in chosen:
        data["groups"].extend(part["groups"])
        data["shown"].update(part["shown"])
    return data


def whole(data: dict[str, Any]) -> dict[str, Any]:
    """The whole payload as the exports read it: every part merged, municipalities in their order."""
    found = split(data)
    meta = found.pop(META)
    return merge(meta, (found[scope(m[0])] for m in meta["municipalities"] if scope(m[0]) in found))
