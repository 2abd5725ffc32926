"""Item categories: a national default that a county, township or village may replace with its own."""

NATIONAL_DEFAULT = ("道路交通", "市政设施", "环境保护", "教育", "医疗卫生", "社会保障", "农业农村", "安全生产", "其他")


def enclosing(division: str) -> list[str]:
    """The division and the ones it lies in, nearest first: village 12, township 9, county 6 digits."""
    return [division[:n] for n in (12, 9, 6) if n <= len(division)]


def unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(name.strip() for name in names))
