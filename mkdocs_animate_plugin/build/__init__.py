"""The build: pages planned into jobs, one site-wide scheduler, animations made or found in the cache.

pipeline.py   `Pipeline`: `plan_page` while pages render, `finish_page` as they are written, `close`
jobs.py       an image of a page -> the animation it gets (its key, its request), or why it stays still
produce.py    each job: the cache, else the provider, the loop closed, encoded, cached
scheduler.py  the site-wide queue: identical work once, `concurrency` at a time
workers.py    the worker processes that draw and encode, one per core
replay.py     what planning did with each page, so that a warm build does it again without the work
progress.py   the progress line (a live line on a terminal, plain lines in CI)
summary.py    what the build did with each image, in one summary line
"""
