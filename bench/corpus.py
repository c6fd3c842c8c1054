"""A synthetic corpus of municipal S&T work plans, any size, the same bytes for the same seed.

Documents follow the genre: a header block (索引号, 文号, 发布机构, 日期), the notice and the plan's
title 《20XX年XX市科技工作要点》, headings 一、(一)1., 主要目标 with numeric targets, and tasks naming
real cities, universities, CAS institutes, platforms and programmes from the project's gazetteers,
with cooperation sentences. Partners are drawn from a Zipf law over a fixed ranking, so a few
institutions (中国科学院, a handful of universities) cooperate with hundreds of cities, as in the real
corpus. Files are mixed: UTF-8 and GB18030 text, HTML, and docx.

    python bench/corpus.py OUT_DIR --documents N --seed S [--formats txt,gbk,html,docx]
"""

from __future__ import annotations

import argparse
import html
import io
import random
import zipfile
from bisect import bisect
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import accumulate
from pathlib import Path

from policykg import SAMPLES_DIR
from policykg.graph.build import build
from policykg.ingest.pipeline import extract_file
from policykg.lexicon import gazetteer, official

SAMPLES = SAMPLES_DIR

VERSION = 3  # bumped whenever the same seed gives different documents (2: real density; 3: official CAS list)
FORMATS = ("txt", "gbk", "html", "docx")  # gbk: a GB18030-encoded .txt
FORMAT_WEIGHTS = {"txt": 70, "gbk": 15, "html": 10, "docx": 5}
HUBS = (
    "中国科学院",
    "清华大学",
    "北京大学",
    "浙江大学",
    "上海交通大学",
    "中国科学院大学",
    "复旦大学",
    "华中科技大学",
    "西安交通大学",
    "哈尔滨工业大学",
    "中国农业大学",
    "南京大学",
    "中山大学",
    "厦门大学",
    "武汉大学",
)
FIELDS = (
    "新材料",
    "生物医药",
    "人工智能",
    "集成电路",
    "新能源",
    "智能制造",
    "现代农业",
    "海洋经济",
    "数字经济",
    "节能环保",
    "高端装备",
    "氢能",
    "食用菌",
    "林业",
    "稀土",
)
PLATFORM_SUFFIXES = (
    "重点实验室",
    "工程技术研究中心",
    "新型研发机构",
    "产业技术研究院",
    "众创空间",
    "孵化器",
    "技术转移中心",
    "中试基地",
)
PROGRAMMES = (
    "科技特派员制度",
    "重大科技专项",
    "科技小巨人企业培育计划",
    "揭榜挂帅项目",
    "科技成果转化专项资金",
    "高层次人才引进计划",
    "创新券",
    "产学研合作项目",
)
SECTION_TITLES = (
    "推动创新主体提质增量",
    "强化关键核心技术攻关",
    "建设高能级创新平台",
    "深化开放协同创新",
    "促进科技成果转移转化",
    "优化科技创新生态",
    "加强科技人才队伍建设",
    "推进农业科技创新",
)
FILLER = (
    "坚持以习近平新时代中国特色社会主义思想为指导，深入实施创新驱动发展战略，加快建设创新型城市。",
    "健全科技管理制度，优化科研经费管理，提升科技服务效能，营造良好创新氛围。",
    "加强科学技术普及，办好科技活动周，提升公民科学素质。",
    "落实研发费用加计扣除等政策，引导企业加大研发投入，壮大科技型企业群体。",
    "完善科技金融服务体系，推动科技保险、知识产权质押融资等业务发展。",
    "强化科研诚信建设和科技伦理治理，规范科研项目管理。",
)
PROGRAMME_SUFFIXES = ("产业倍增计划", "科技专项", "创新提升行动", "人才计划", "创新创业大赛", "科技成果转化专项资金")
CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Names:
    cities: tuple[tuple[str, str, str], ...]  # (city, its short name, province)
    partners: tuple[str, ...]  # institutions in rank order: hubs first
    cumulative: tuple[float, ...]  # Zipf weights, cumulated, for bisect


@cache
def names(zipf_exponent: float = 1.1) -> Names:
    areas = gazetteer.areas()
    cities = sorted(
        (a.name, a.short or a.name[:-1], areas.province_of(a).name)
        for a in areas.by_code.values()
        if a.level == "City" and a.name.endswith("市")
    )
    universities = sorted(u.name for u in gazetteer.universities())
    institutes = sorted(unit.name for unit in official.listed() if unit.listed_in == "cas_institutes")
    known = set(universities) | set(institutes)
    hubs = [h for h in HUBS if h in known]
    rest = [n for n in institutes + universities if n not in hubs]
    random.Random(0).shuffle(rest)  # a fixed ranking beyond the hubs, whatever the corpus seed
    partners = tuple(hubs + rest)
    weights = [1 / rank**zipf_exponent for rank in range(1, len(partners) + 1)]
    return Names(tuple(cities), partners, tuple(accumulate(weights)))


class PlanWriter:
    """One document's text, drawn from its own random stream."""

    def __init__(self, rng: random.Random, names: Names) -> None:
        self.rng = rng
        self.names = names
        self.city, self.short, self.province = rng.choice(names.cities)
        self.year = rng.randint(2010, 2025)

    def partner(self) -> str:
        position = self.rng.random() * self.names.cumulative[-1]
        return self.names.partners[min(bisect(self.names.cumulative, position), len(self.names.partners) - 1)]

    def other_city(self) -> str:
        return self.rng.choice(self.names.cities)[0]

    def header(self) -> list[str]:
        month, day = self.rng.randint(1, 4), self.rng.randint(1, 28)
        number = self.rng.randint(1, 60)
        return [
            f"索 引 号: {self.rng.randint(10000, 99999)}-{self.year}-{number:04d}",
            f"文号: {self.short}科〔{self.year}〕{number}号",
            f"发布机构: {self.city}科学技术局",
            f"公文生成日期: {self.year}-{month:02d}-{day:02d}",
            f"{self.city}科学技术局关于印发《{self.year}年{self.city}科技工作要点》的通知",
            f"各县（市、区）科技局，局机关各科室：现将《{self.year}年{self.city}科技工作要点》印发你们，"
            "请结合实际认真贯彻执行。",
            f"{self.year}年{self.city}科技工作要点",
        ]

    def targets(self) -> str:
        r = self.rng
        clauses = [
            f"全社会研究与试验发展经费投入增长{r.randint(8, 25)}%以上",
            f"R&D经费投入占GDP比重达到{r.randint(10, 35) / 10:.1f}%",
            f"培育国家高新技术企业{r.randint(20, 800)}家",
            f"技术合同成交额达到{r.randint(1, 300)}亿元",
            f"新增省级以上科技创新平台{r.randint(3, 60)}个",
            f"选派科技特派员{r.randint(50, 900)}人以上",
            f"高技术产业增加值增长{r.randint(5, 20)}%",
            f"备案国家科技型中小企业{r.randint(50, 900)}家",
            f"实施省级以上科技计划项目{r.randint(20, 300)}项",
            f"每万人口高价值发明专利拥有量达到{r.randint(2, 40)}件",
            f"引进培育高层次人才团队{r.randint(5, 80)}个",
            f"新增科技小巨人企业{r.randint(10, 200)}家",
        ]
        return f"力争{'；'.join(r.sample(clauses, r.randint(6, 10)))}。"

    def programme(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(PROGRAMMES)
        return f"{self.short}{self.rng.choice(FIELDS)}{self.rng.choice(PROGRAMME_SUFFIXES)}"

    def platform(self) -> str:
        return f"{self.short}{self.rng.choice(FIELDS)}{self.rng.choice(PLATFORM_SUFFIXES)}"

    def agency(self) -> str:
        return self.rng.choice(
            (
                f"{self.province}科学技术厅",
                f"{self.city}人民政府",
                f"{self.city}发展和改革委员会",
                f"{self.city}财政局",
                f"{self.city}工业和信息化局",
                "科学技术部",
            )
        )

    def task(self) -> str:
        """One sentence; the mix follows the real plans (samples/): programmes and platforms most often,
        cooperation with institutions now and then, other cities rarely, many sentences naming nothing."""
        r = self.rng
        field = r.choice(FIELDS)
        kinds = (
            (9, lambda: f"深入实施{self.programme()}，组织开展{r.choice(PROGRAMMES)}。"),
            (3, lambda: f"加快{self.platform()}建设，支持企业开展{field}关键技术攻关。"),
            (4, lambda: f"会同{self.agency()}、{self.agency()}完善{field}创新服务体系。"),
            (1, lambda: f"深化与{self.partner()}的产学研合作，共建{self.platform()}。"),
            (1, lambda: f"积极对接{self.partner()}、{self.partner()}等高校院所，推动{field}成果在我市转化。"),
            (1, lambda: f"推进与{self.other_city()}的科技对口合作，联合开展{field}关键技术攻关。"),
            (1, lambda: f"支持{self.partner()}与我市企业联合申报{r.choice(PROGRAMMES)}。"),
            (26, lambda: r.choice(FILLER)),
        )
        return r.choices([make for _, make in kinds], [weight for weight, _ in kinds])[0]()

    def body(self, length: int) -> list[str]:
        goals = [self.targets() for _ in range(3)]
        lines = ["一、指导思想", self.rng.choice(FILLER) * 2, "二、主要目标", *goals, "三、重点任务"]
        size, section = sum(map(len, lines)), 0
        while size < length:
            lines.append(f"（{CHINESE_NUMBERS[section % 10]}）{SECTION_TITLES[section % len(SECTION_TITLES)]}")
            for item in range(1, self.rng.randint(3, 6)):
                paragraph = "".join(self.task() for _ in range(self.rng.randint(2, 5)))
                lines.append(f"{item}.{paragraph}")
                size += len(paragraph)
            section += 1
        return lines

    def document(self) -> tuple[str, list[str]]:
        # Lengths are heavy-tailed too: most plans a few thousand characters, some several times that.
        length = int(min(self.rng.lognormvariate(9.1, 0.5), 60000))
        return f"{self.year}年{self.city}科技工作要点", self.header() + self.body(length)


def as_html(title: str, lines: list[str], charset: str) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>{html.escape(title)}</title></head>\n'
        f'<body><div class="article">\n{paragraphs}\n</div></body></html>\n'
    )


def as_docx(lines: list[str]) -> bytes:
    import docx  # python-docx, only needed for this format

    document = docx.Document()
    document.core_properties.created = document.core_properties.modified = datetime(2024, 1, 1)
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip_times(buffer.getvalue())


def fixed_zip_times(data: bytes) -> bytes:
    """The same entries with a fixed timestamp: python-docx stamps the time of saving, which breaks reproducibility."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(
                zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0)),
                source.read(item),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def encode(title: str, lines: list[str], fmt: str, rng: random.Random) -> tuple[str, bytes]:
    if fmt == "txt":
        return "txt", "\n".join(lines).encode("utf-8")
    if fmt == "gbk":
        return "txt", "\n".join(lines).encode("gb18030")
    if fmt == "html":
        charset = rng.choice(("utf-8", "gb18030"))
        return "html", as_html(title, lines, charset).encode(charset)
    return "docx", as_docx(lines)


def generate(out_dir: Path, documents: int, seed: int, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the corpus; document i depends only on (seed, i), so any prefix of a larger corpus is the same."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pool = names()
    weights = [FORMAT_WEIGHTS[f] for f in formats]
    written = []
    for index in range(documents):
        rng = random.Random(f"{seed}:{index}")
        title, lines = PlanWriter(rng, pool).document()
        suffix, data = encode(title, lines, rng.choices(formats, weights)[0], rng)
        # Folders of 1,000 files: a national corpus should not be one directory of 50,000 entries.
        path = out_dir / f"{index // 1000:03d}" / f"plan_{index:06d}.{suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def density(paths: list[Path]) -> dict[str, float]:
    """What the extractor finds per document and per 1,000 characters: the figures the corpus is tuned to
    match against the real plans in samples/ (entities, relations and rows per 1,000 characters, targets
    per document, since a plan states its goals once whatever its length)."""
    characters = entities = relations = targets = rows = 0
    for path in paths:
        record = extract_file(path)
        characters += len(record["text"] or "")
        entities += len(record["entities"])
        relations += len(record["relations"])
        targets += len(record["targets"])
        rows += sum(build(record).counts())
    per_1k = 1000 / max(characters, 1)
    documents = max(len(paths), 1)
    return {
        "documents": len(paths),
        "characters_per_document": round(characters / documents),
        "entities_per_1k_chars": round(entities * per_1k, 2),
        "relations_per_1k_chars": round(relations * per_1k, 2),
        "rows_per_1k_chars": round(rows * per_1k, 1),
        "targets_per_document": round(targets / documents, 1),
        "relations_per_document": round(relations / documents, 1),
        "rows_per_document": round(rows / documents),
    }


def real_density() -> dict[str, float]:
    return density(sorted(SAMPLES.glob("*.txt")))


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic corpus of municipal S&T work plans.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help="comma-separated subset of txt (UTF-8), gbk (GB18030 text), html, docx",
    )
    args = parser.parse_args()
    formats = tuple(f for f in args.formats.split(",") if f)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    paths = generate(args.out_dir, args.documents, args.seed, formats)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents ({size / 1e6:.1f} MB) to {args.out_dir}")
    print(f"density, real samples: {real_density()}")
    plain = [p for p in paths if p.suffix == ".txt"][:50]
    print(f"density, this corpus (first {len(plain)} plain-text documents): {density(plain)}")


if __name__ == "__main__":
    main()
