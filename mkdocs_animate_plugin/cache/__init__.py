"""The cache: every made animation, keyed by what it was made from, so a rebuild costs nothing.

    layout.py          the names of its folders and of its index's records, and of the shared store's objects
    entries.py         the keys (hashes of explicit inputs) and the record of one animation (`Entry`)
    store.py           `Store`: the cache folder, its animations, and the shared second level (`cache_url`)
    upkeep.py          what it holds (`cache stats`) and trimming it (`cache prune`)
    shared.py          the second level: an S3-compatible store (`cache_url`), and shared_answers.py its
                       answers sorted
    memo.py            `Memo`: what the last build found, a hint for a fast warm build
    provider_cache.py  `ProviderCache`: the corner each provider may keep things in

Keys are hashes of explicit inputs (the image's bytes and the normalised settings), never of paths, dates or
machine names, so the folder can move to another checkout, runner or user and still be used as it is.
"""

from .entries import Entry, make_key
from .memo import Memo
from .provider_cache import ProviderCache
from .store import Store
from .upkeep import Stats

__all__ = ["Entry", "Memo", "ProviderCache", "Stats", "Store", "make_key"]
