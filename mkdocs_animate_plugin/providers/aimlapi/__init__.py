"""The AI/ML API: a vision model writes the motion prompt, an image-to-video model makes the clip. Real money: pay once.

    prompt   openai client -> {base_url}/v1/chat/completions          cached by image, model and instructions,
                                                                      with its verdict: does motion suit the picture?
    clip     httpx -> POST {base_url}{the model's endpoint}          id journaled before any wait
                      (/v2/video/generations for all but one)
             httpx -> GET  {base_url}/v2/video/generations?generation_id=...   until completed or error
             httpx -> GET  video.url (public CDN, no key sent)         probed, then kept: never fetched again

A build killed at any point resumes on the next one from the journal: it polls the ids it has and submits nothing
again. 429 and 5xx are retried with exponential backoff and jitter (Retry-After respected); 401 (a refused key)
and 403 (out of credits) stop every call for the rest of the build. Each model's request is built from its line of
`models.json` (generated from the provider's schemas by tools/models_from_schemas.py): only the fields its schema
names, of the types it names; what a clip cost (`meta.usage.credits_used`) is kept in the clip's cost record.

What it keeps is in its corner of the cache (`cache.ProviderCache`): the prompts as texts, the clips as blobs, and
the journal as claims. Nothing heavy is imported at the top (httpx, asyncio, numpy through `media`): MkDocs reads
this module's options while it loads the configuration of every build, this provider's or not.
"""

from .provider import KEY_ENV, AimlapiOptions, AimlapiProvider

__all__ = ["KEY_ENV", "AimlapiOptions", "AimlapiProvider"]
