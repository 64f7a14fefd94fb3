"""The cache's layout: its folders and its index's records, here and in the shared store.

    cache_dir/
      animations/<key>.<ext>    plain files, written to a temporary name and renamed: never half a file
      clips/[<provider>/]<key>.<ext>   what providers keep (the paid clips, as downloaded)
      index/                    diskcache (sqlite): a small record per animation (`anim/<key>`), the memos of what
                                the last build found (`memo/<name>`: hints for a fast warm build), and what providers
                                keep there: texts (`text/<provider>/<key>`), claims (`journal/<provider>/<key>`)
                                and what paid clips cost (`cost/<provider>/<key>`)

This module alone names the layout. Providers see only their own corner of it, through `ProviderCache`. The AI/ML
API's records predate that corner and keep their places (`clips/<key>.mp4`, `prompt/<key>`, `journal/<key>`), so
a cache written before it is used as it is.

With `cache_url`, an S3-compatible store (`shared.Remote`) is the second level, under the same names: a miss here
is looked for there, and what a build makes or downloads is uploaded.

    s3://bucket/prefix/
      animations/<key>.<ext>    the file; its record (size, frames, rate) and the sha256 of its bytes as metadata
      clips/[<provider>/]<key>.<ext>   the kept paid clips
      index/<name>              one object per shared record of the index: the providers' texts and claims (the
                                claim made with `If-None-Match: *`, so one machine pays), and the memos that hold
                                nothing of one machine (`memo/headers`, `memo/kinds`: by the image's hash)
"""

from pathlib import Path

ANIMATIONS = "animations"  # the made animations' folder
INDEX = "index"  # the index's folder here (diskcache), and the folder of its shared records in the store
ANIM, MEMO = "anim/", "memo/"  # the index's records of the animations, and its memos
# The memos that hold nothing of one machine (no path, stamp or inode: records by the image's hash), shared in the
# store.
SHARED_MEMOS = frozenset({"headers", "kinds"})
# The index's and the folder's names for what providers keep. The AI/ML API's predate the per-provider corners.
CLIPS, TEXTS, CLAIMS, COSTS = "clips", "text", "journal", "cost"
LEGACY_TEXTS = "prompt"
LEGACY_PROVIDERS = frozenset({"aimlapi"})


def exists(root: Path) -> bool:
    """Whether a cache was ever written in `root` (its index is made first)."""
    return (root / INDEX).is_dir()
