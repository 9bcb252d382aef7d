"""Regions (data in ``corpus/regions.toml``) and the document id scheme.

- With a 文号: ``<region code>-<year>-<number>``: 鲁政办字〔2023〕155号 → ``sd-2023-155``, the region
  found from the 文号 prefix (the longest listed prefix wins).
- Without (laws, regulations): ``<region code>-<title initials>-<YYYYMMDD>``, the initials in pinyin
  (pypinyin) of the title less its region name, the date the version was issued:
  中华人民共和国促进科技成果转化法, 2015-08-29 → ``cn-cjkjcgzhf-20150829``. ASCII, lowercase,
  ``[a-z0-9-]``, the same on every run.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.errors import CorpusError, IngestError
from index.model import LEVELS

REGIONS_FILE = "regions.toml"
_MAX_INITIALS = 16
_DOC_NUMBER_PARTS = re.compile(r"^(.+?)[〔\[［【(（](\d{4})[〕\]］】)）]第?(\d+)号$")


@dataclass(frozen=True)
class Region:
    name: str
    code: str
    level: str
    aliases: tuple[str, ...]
    prefixes: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def load_regions(corpus_dir: Path) -> tuple[Region, ...]:
    path = corpus_dir / REGIONS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        regions = tuple(
            Region(r["name"], r["code"], r["level"], tuple(r.get("aliases", ())), tuple(r.get("prefixes", ())))
            for r in data["regions"]
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as err:
        raise CorpusError(f"{path}: cannot read the region table ({err})") from None
    for region in regions:
        if region.level not in LEVELS or not re.fullmatch(r"[a-z]{2,4}", region.code):
            raise CorpusError(f"{path}: region {region.name}: level must be one of {LEVELS}, code 2–4 letters")
    return regions


def region_of_number(doc_number: str, regions: tuple[Region, ...]) -> Region | None:
    prefix = _parts(doc_number)[0]
    matches = [(len(p), r) for r in regions for p in r.prefixes if prefix.startswith(p)]
    return max(matches, key=lambda m: m[0])[1] if matches else None


def region_in(texts: list[str], regions: tuple[Region, ...]) -> Region | None:
    """The region named earliest in the first text naming one (title, then issuers); the most local wins a tie."""
    rank = {level: i for i, level in enumerate(LEVELS)}
    for text in texts:
        found = [(text.find(n), -rank[r.level], r) for r in regions for n in r.names if n in text]
        if found:
            return min(found, key=lambda f: (f[0], f[1]))[2]
    return None


def id_from_number(doc_number: str, region: Region) -> str:
    _, year, number = _parts(doc_number)
    return f"{region.code}-{year}-{int(number)}"


def id_from_title(title: str, issued: dt.date, region: Region) -> str:
    from pypinyin import Style, lazy_pinyin

    name = title
    for prefix in sorted(region.names, key=len, reverse=True):
        if name.startswith(prefix):
            name = name.removeprefix(prefix)
            break
    letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars)))
    initials = re.sub(r"[^a-z0-9]", "", letters.lower())[:_MAX_INITIALS] or "doc"
    return f"{region.code}-{initials}-{issued:%Y%m%d}"


def _parts(doc_number: str) -> tuple[str, str, str]:
    m = _DOC_NUMBER_PARTS.match(doc_number)
    if not m:
        raise IngestError(f"文号“{doc_number}”不是“机关代字〔年份〕序号号”的形式")
    return m.group(1), m.group(2), m.group(3)
