"""Which pictures: from a page's HTML to the images an editor would animate, and why the others stay still.

discover.py   the content images of a page and their per-image attributes (pure: no files read)
rules.py      the editor's rules: attributes, the size shown, what the file is (pure)
pixels.py     what a picture is, from its pixels alone (`select: auto` without a key)
stills.py     each still of a build: its header, its hash and its verdict, cached
"""
