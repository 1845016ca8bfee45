"""Reading a big YAML fact file: mart.yamlsafe.read against today's yaml.compose + yaml.load.

python -m bench.yaml_read [--facts 100000]

The file is generated in memory: N facts shaped like seeds/xiaomi-q2-2017-shipments.yaml (10
fields each), after the same source, companies and products sections. Seconds are the median of
3 runs without tracing; peak memory is tracemalloc's peak over one more run (Python allocations:
the values built and the parser's objects; libyaml's own buffers are a few KB).
"""

import argparse
import gc
import tracemalloc
from collections.abc import Callable

import yaml
from rich.table import Table

from bench.common import at_least, error_line, runs, show
from mart import yamlsafe

RUNS = 3
GOAL_SPEEDUP = 2.0  # read() against today's compose + load
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HEAD = """\
source:
  text: big.txt
  title: Xiaomi shipped 23.16 million smartphones in Q2 2017 globally
  publisher: Gizbot
  url: https://www.gizbot.com/mobile/news/xiaomi-shipped-23-16-million-smartphones.html
  published_on: 2017-07-08

companies:
  - key: xiaomi
    name: Xiaomi

products:
  - {key: mi-6, name: Mi 6, company: xiaomi, kind: smartphone}
  - {key: redmi-note-4, name: Redmi Note 4, company: xiaomi, kind: smartphone}

facts:
"""
FACT = """\
  - metric: {metric}
    company: xiaomi
    region: {region}
    product: {product}
    period: {period}
    value: {value}
    unit: {unit}
    basis: reported
    wording: {value} smartphones
    quote: it has shipped {value} smartphones in {period}, number {rank} in India

"""
METRICS = ("smartphone_shipments", "patents_filed", "stores_open", "revenue_target")
REGIONS = ("global", "india", "china")
PRODUCTS = ("mi-6", "redmi-note-4")
PERIODS = ("Q2 2017", "Last year", "on Friday", "2017-07-07", "first half of the year")
VALUES = ("23.16 million", "7,071", "0.5", "100 billion", "123")
UNITS = ("units", "CNY", "USD", "null")


def fact_file(facts: int) -> str:
    parts = [HEAD]
    for i in range(facts):
        parts.append(
            FACT.format(
                metric=METRICS[i % 4],
                region=REGIONS[i % 3],
                product=PRODUCTS[i % 2],
                period=PERIODS[i % 5],
                value=VALUES[i % 5],
                unit=UNITS[i % 4],
                rank=i % 7 + 1,
            )
        )
    return "".join(parts)


def compose_and_load(text: str) -> object:
    """Today's seedfiles.read_yaml: the node tree for line numbers, then the values."""
    node = yaml.compose(text, Loader=LOADER)
    data = yaml.load(text, Loader=LOADER)
    return node, data


def peak_mb(action: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        kept = action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return peak / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--facts", type=int, default=100_000, help="facts in the file (default 100000)"
    )
    args = parser.parse_args()
    text = fact_file(args.facts)
    ways: dict[str, Callable[[], object]] = {
        "yamlsafe.read()": lambda: yamlsafe.read(text),
        "yaml.compose + yaml.load (today)": lambda: compose_and_load(text),
        "yaml.load alone": lambda: yaml.load(text, Loader=LOADER),
    }
    table = Table(
        title=f"Reading a {args.facts:,}-fact YAML file ({len(text) / 1024**2:.1f} MB, "
        f"{LOADER.__name__}), median of {RUNS} runs"
    )
    for column in ("way", "median s", "max s", "peak MB", "note"):
        table.add_column(column, justify="left" if column in ("way", "note") else "right")
    seconds: dict[str, float] = {}
    for name, action in ways.items():
        try:
            median, slowest = runs(action, RUNS)
            peak = peak_mb(action)
        except Exception as error:
            table.add_row(name, "", "", "", error_line(error))
            continue
        seconds[name] = median
        table.add_row(name, f"{median:.2f}", f"{slowest:.2f}", f"{peak:,.0f}")
    goals: list[str] = []
    today, ours = seconds.get("yaml.compose + yaml.load (today)"), seconds.get("yamlsafe.read()")
    if today and ours:
        goals.append(at_least("read() speed-up on compose + load", today / ours, GOAL_SPEEDUP))
    else:
        goals.append("read() speed-up on compose + load: n/a (a way failed)")
    show(table, goals)


if __name__ == "__main__":
    main()
