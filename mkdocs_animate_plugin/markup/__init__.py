"""The page's markup: `<img>` tags found by position, the animation named beside its still, files into the site.

tags.py      find and splice `<img>` start tags in HTML text
rewrite.py   the `data-animate-*` attributes that put an animation where its still stood
publish.py   the animation files and the script and style, into the site's folder once
"""
