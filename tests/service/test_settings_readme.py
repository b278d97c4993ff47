"""README.md's settings table and the Settings model agree: every setting is listed with its
default, and every listed variable is a setting."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from service.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"
PREFIX = "BRIEFQA_"
UNSET = "unset"


def setting_fields(
    model: type[BaseModel] = Settings, prefix: str = PREFIX, values: BaseModel | None = None
) -> dict[str, tuple[Any, str | None]]:
    """Environment variable -> (default, description) of every leaf field; nested models are
    joined with `__`, and their defaults read from the parent's default instance."""
    fields: dict[str, tuple[Any, str | None]] = {}
    for name, field in model.model_fields.items():
        variable = prefix + name.upper()
        if values is not None:
            default = getattr(values, name)
        else:
            default = field.get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            fields.update(setting_fields(type(default), variable + "__", default))
        else:
            fields[variable] = (default, field.description)
    return fields


def setting_defaults(model: type[BaseModel] = Settings) -> dict[str, Any]:
    return {name: default for name, (default, _) in setting_fields(model).items()}


def table_rows(markdown: str) -> dict[str, str]:
    """Variable -> default cell of the table under "## Configuration". A row may name several
    variables and defaults, `A` / `__B` with `1` / `2`; `__B` shares the prefix of `A`."""
    section = markdown.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or PREFIX not in cells[0]:
            continue
        names = [n.strip().strip("`") for n in cells[0].split(" / ")]
        values = [v.strip() for v in cells[1].split(" / ")]
        assert len(names) == len(values), f"one default per variable: {line}"
        for name, value in zip(names, values, strict=True):
            full = names[0].rsplit("__", 1)[0] + name if name.startswith("__") else name
            assert full not in rows, f"{full} is listed twice"
            rows[full] = value
    return rows


def shows(cell: str, default: Any) -> bool:
    """Whether a default cell states `default`: `unset` for None, else the value in backticks
    as the environment would spell it (true/false, JSON lists, numbers compared as numbers)."""
    if default is None:
        return cell == UNSET
    match = re.fullmatch(r"`([^`]*)`", cell)
    if match is None:
        return False
    text = match.group(1)
    if isinstance(default, bool):
        return text == str(default).lower()
    if isinstance(default, int | float):
        try:
            return float(text) == float(default)
        except ValueError:
            return False
    if isinstance(default, list | dict):
        return text == json.dumps(default)
    return text == str(default)


def problems(rows: dict[str, str], defaults: dict[str, Any]) -> list[str]:
    found = [f"{name} is not a setting" for name in rows if name not in defaults]
    for name, default in defaults.items():
        if name not in rows:
            found.append(f"{name} is missing (default {default!r})")
        elif not shows(rows[name], default):
            found.append(f"{name}: the table says {rows[name]}, the default is {default!r}")
    return found


def test_the_readme_table_lists_every_setting_with_its_default() -> None:
    rows = table_rows(README.read_text(encoding="utf-8"))
    found = problems(rows, setting_defaults())
    assert not found, "README.md's settings table is out of date:\n" + "\n".join(found)


def test_every_setting_is_described() -> None:
    fields = setting_fields()
    assert {"BRIEFQA_INDEX_DIR", "BRIEFQA_SERVER__PORT", "BRIEFQA_EMBEDDING__MODEL"} <= set(fields)
    assert [name for name, (_, description) in fields.items() if not description] == []


TABLE = """
## Configuration

| variable | default | meaning |
| --- | --- | --- |
| `BRIEFQA_A` | `data/x` | a |
| `BRIEFQA_N__HOST` / `__PORT` | `127.0.0.1` / `8000` | b |
| `BRIEFQA_N__KEY` | unset | c |
| `BRIEFQA_N__ON` | `true` | d |
| `BRIEFQA_N__ORIGINS` | `[]` | e |

## Next
| `BRIEFQA_OUTSIDE` | `1` | not in the section |
"""


class _N(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    key: str | None = None
    on: bool = True
    origins: list[str] = []


class _Root(BaseModel):
    a: Path = Path("data/x")
    n: _N = _N()


def test_the_check_reads_the_table_and_sees_drift() -> None:
    rows = table_rows(TABLE)
    assert rows == {
        "BRIEFQA_A": "`data/x`",
        "BRIEFQA_N__HOST": "`127.0.0.1`",
        "BRIEFQA_N__PORT": "`8000`",
        "BRIEFQA_N__KEY": "unset",
        "BRIEFQA_N__ON": "`true`",
        "BRIEFQA_N__ORIGINS": "`[]`",
    }
    defaults = setting_defaults(_Root)
    assert problems(rows, defaults) == []

    class _Changed(_Root):
        b: int = 3
        n: _N = _N(port=9000)

    assert problems(rows, setting_defaults(_Changed)) == [
        "BRIEFQA_N__PORT: the table says `8000`, the default is 9000",
        "BRIEFQA_B is missing (default 3)",
    ]
    del rows["BRIEFQA_N__ON"]
    rows["BRIEFQA_GONE"] = "`1`"
    assert problems(rows, defaults) == [
        "BRIEFQA_GONE is not a setting",
        "BRIEFQA_N__ON is missing (default True)",
    ]


@pytest.mark.parametrize(
    ("cell", "default", "expected"),
    [
        ("`50`", 50.0, True),
        ("`50`", 5.0, False),
        ("50", 50.0, False),
        ("unset", None, True),
        ("`None`", None, False),
        ("`false`", True, False),
        ('`["a"]`', ["a"], True),
    ],
)
def test_how_a_default_is_written(cell: str, default: Any, expected: bool) -> None:
    assert shows(cell, default) is expected
