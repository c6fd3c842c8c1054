"""A small hand-written corpus whose answers are known, for the curated queries and the API.

The samples' answers depend on how good extraction is today; these records pin down what
each query must compute (distinct documents, roll-ups over PART_OF, unit normalisation)
whatever the extractor does.
"""

from __future__ import annotations

from typing import Any

from policykg.ingest.record import Record, Target

CAS = {"type": "Institution", "name": "中国科学院"}
FJIRSM = {"type": "Institution", "name": "中国科学院福建物质结构研究所"}
HFIPS = {"type": "Institution", "name": "中国科学院合肥物质科学研究院"}


def _entity(
    text: str, kind: str, name: str, aliases: tuple[str, ...] = (), parent: dict | None = None, **attributes: Any
) -> dict[str, Any]:
    surface = next((s for s in (name, *aliases) if s in text), name)
    start = text.find(surface)
    mentions = [{"start": start, "end": start + len(surface), "extractor": "test"}] if start >= 0 else []
    return {
        "type": kind,
        "name": name,
        "aliases": list(aliases),
        "mentions": mentions,
        "parent": parent,
        "attributes": attributes,
    }


def _relation(text: str, kind: str, source: dict, target: dict) -> dict[str, Any]:
    return {
        "type": kind,
        "source": {"type": source["type"], "name": source["name"]},
        "target": {"type": target["type"], "name": target["name"]},
        "evidence": {"start": 0, "end": len(text), "text": text},
        "extractor": "test",
        "confidence": 0.9,
    }


def _target(
    text: str, metric: str, value: float, unit: str, year: int, kind: str = "stock", part: str = "plan"
) -> dict[str, Any]:
    """A target (a result has the same shape): its span is the value and unit where the text first has them."""
    stated = f"{int(value)}{unit}"
    start = text.find(stated)
    return {
        "metric": metric,
        "value": value,
        "value_max": None,
        "unit": unit,
        "comparator": ">=" if part == "plan" else "=",
        "kind": kind,
        "year": year,
        "text": stated,
        "start": start,
        "end": start + len(stated),
        "extractor": "test",
        "part": part,
    }


def _record(
    doc_id: str,
    city: str,
    year: int,
    text: str,
    entities: list,
    relations: list,
    targets: list,
    results: list | None = None,
) -> Record:
    return {
        "file": f"{doc_id}.txt",
        "source": f"/curated/{doc_id}.txt",
        "doc_id": f"doc:{doc_id}",
        "document": {
            "title": f"{city}{year}年科技工作要点",
            "city": city,
            "province": None,
            "year": year,
            "issuer": None,
            "doc_number": f"科〔{year}〕1号",
            "published": None,
        },
        "entities": entities,
        "relations": relations,
        "targets": targets,
        "results": results or [],
        "text": text,
        "sections": [{"level": 1, "marker": "一、", "title": "合作", "start": 0, "end": len(text)}],
    }


def curated_records() -> list[Record]:
    sm22 = "三明市与中国科学院福建物质结构研究所合作共建三明海西研究院,推行科技特派员制度,高新技术企业达到80家。"
    city = {"type": "City", "name": "三明市"}
    inst = _entity(sm22, "Institution", FJIRSM["name"], ("福建物构所",), parent=CAS)
    platform = _entity(sm22, "Platform", "三明海西研究院", platform_type="新型研发机构", level="市级")
    a = _record(
        "sm2022",
        "三明市",
        2022,
        sm22,
        [_entity(sm22, "City", "三明市"), inst, platform, _entity(sm22, "Program", "科技特派员制度")],
        [
            _relation(sm22, "COOPERATES_WITH", city, FJIRSM),
            _relation(sm22, "BUILDS", FJIRSM, {"type": "Platform", "name": "三明海西研究院"}),
        ],
        [_target(sm22, "高新技术企业数量", 80, "家", 2022)],
    )
    sm23 = "2022年全市高新技术企业达到85家。加强与中科院、天津大学合作,高新技术企业达到100家,研发经费投入5亿元。"
    b = _record(
        "sm2023",
        "三明市",
        2023,
        sm23,
        [
            _entity(sm23, "City", "三明市"),
            _entity(sm23, "Institution", "中国科学院", ("中科院",)),
            _entity(sm23, "Institution", "天津大学"),
        ],
        [
            _relation(sm23, "COOPERATES_WITH", city, CAS),
            _relation(sm23, "COOPERATES_WITH", city, {"type": "Institution", "name": "天津大学"}),
        ],
        [_target(sm23, "高新技术企业数量", 100, "家", 2023), _target(sm23, "研发经费投入", 5, "亿元", 2023, "flow")],
        [_target(sm23, "高新技术企业数量", 85, "家", 2022, part="review")],
    )
    sm23b = "深化与中国科学院的院地合作。"
    c = _record(
        "sm2023b",
        "三明市",
        2023,
        sm23b,
        [_entity(sm23b, "City", "三明市"), _entity(sm23b, "Institution", "中国科学院")],
        [_relation(sm23b, "COOPERATES_WITH", city, CAS)],
        [],
    )
    dd = "结合与扬州市对口合作,推行揭榜挂帅和科技特派员制度,研发经费投入5000万元,高新技术企业突破200家。"
    dandong = {"type": "City", "name": "丹东市"}
    d = _record(
        "dd2020",
        "丹东市",
        2020,
        dd,
        [
            _entity(dd, "City", "丹东市"),
            _entity(dd, "City", "扬州市"),
            _entity(dd, "Program", "揭榜挂帅"),
            _entity(dd, "Program", "科技特派员制度"),
        ],
        [_relation(dd, "COOPERATES_WITH", dandong, {"type": "City", "name": "扬州市"})],
        [_target(dd, "研发经费投入", 5000, "万元", 2020, "flow"), _target(dd, "高新技术企业数量", 200, "家", 2020)],
    )
    la = "做实做细与合肥物质研究院、合肥工业大学合作。"
    luan = {"type": "City", "name": "六安市"}
    e = _record(
        "la2024",
        "六安市",
        2024,
        la,
        [
            _entity(la, "City", "六安市"),
            _entity(la, "Institution", HFIPS["name"], ("合肥物质研究院",), parent=CAS),
            _entity(la, "Institution", "合肥工业大学", ("合工大",)),
        ],
        [
            _relation(la, "COOPERATES_WITH", luan, HFIPS),
            _relation(la, "COOPERATES_WITH", luan, {"type": "Institution", "name": "合肥工业大学"}),
        ],
        [],
    )
    return [a, b, c, d, e]


def _fact(text: str, metric: str, value: float, unit: str, year: int, kind: str, comparator: str = "=") -> Target:
    """A target or result with its kind, located at its number in `text`."""
    number = str(int(value))
    start = text.find(number)
    return {
        "metric": metric,
        "value": value,
        "value_max": None,
        "unit": unit,
        "comparator": comparator,
        "year": year,
        "text": text,
        "start": start,
        "end": start + len(number) + len(unit),
        "extractor": "test",
        "kind": kind,
    }


def page_records() -> list[Record]:
    """curated_records() and a third city's 高新技术企业 targets and results, for the page's tasks: three cities'
    targets of one metric, of two kinds, with results beside them (loaded once results are in the graph)."""
    la25 = "六安市2025年高新技术企业总数达到300家以上,全年新增高新技术企业50家。2024年高新技术企业总数达到210家。"
    record = _record(
        "la2025",
        "六安市",
        2025,
        la25,
        [_entity(la25, "City", "六安市")],
        [],
        [
            _fact(la25, "高新技术企业数量", 300, "家", 2025, "stock", ">="),
            _fact(la25, "高新技术企业数量", 50, "家", 2025, "flow"),
        ],
    )
    record["results"] = [_fact(la25, "高新技术企业数量", 210, "家", 2024, "stock")]
    record["document"]["genre"] = "plan"
    record["provenance"] = {"year": "inference:plan of 2025 (全年新增…) → 2025", "city": "title"}
    return [*curated_records(), record]
