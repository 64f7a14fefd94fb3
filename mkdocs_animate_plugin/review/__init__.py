"""Review before it goes live: the editor's decisions, what the last build showed, and the gallery.

decisions.py   the review file beside mkdocs.yml: approved, rejected, retakes
record.py      the last build's record of every clip it had an animation for
gallery.py     the local gallery server (127.0.0.1) and its small API
"""
