"""MinHash LSH over an item's terms: the band keys under which it is filed and looked up.

Bands of one row each: two items share a band with probability equal to their Jaccard similarity,
so with 16 bands an item at the 0.3 threshold is found with probability 1 - 0.7**16 ≈ 99.7%.
One-row bands also keep the number of distinct keys bounded by the vocabulary (a key is a band and
the term that is smallest under its permutation), not by the number of items.

The seed and scheme are part of every stored key: changing them makes the stored keys unreachable.
"""

from functools import cache

from datasketch import MinHash

BANDS = 16
SEED = 2026
SCHEME = "affine32"


@cache
def permutations() -> MinHash:
    return MinHash(num_perm=BANDS, seed=SEED, scheme=SCHEME)


def band_keys(terms: list[str]) -> list[str]:
    """One key per band, `bb:hhhhhhhh` (band number, minimum hash); none for an item without terms."""
    if not terms:
        return []
    template = permutations()
    signature = MinHash(num_perm=BANDS, permutations=template.permutations, scheme=template.scheme)
    signature.update_batch([term.encode("utf-8") for term in terms])
    return [f"{band:02d}:{int(value):08x}" for band, value in enumerate(signature.hashvalues)]
