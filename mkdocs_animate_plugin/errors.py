"""The one exception tree of the package.

    AnimateError                 anything this package reports about one image
      ImageProblem               the still image cannot be used (unreadable, too large)
        MissingImage             no such file in the site
      MediaError                 ffmpeg failed, or an output did not probe as what it should be
      ProviderError              a provider call failed (message is safe to log: it never holds a key)
        ProviderAuthError        401/403: no further call is made for the rest of the build
      NotSuited                  the provider judged that motion does not suit the picture: left still, no warning
      CacheError                 the cache folder cannot be read or written

The plugin turns these into warnings naming the page and the image; anything else is a bug and propagates.
"""


class AnimateError(Exception):
    """Something went wrong with one image; the image stays still and the build goes on."""


class ImageProblem(AnimateError):
    reason = "unreadable"  # how the build's summary counts the image it leaves still


class MissingImage(ImageProblem):
    reason = "missing"


class MediaError(AnimateError):
    pass


class ProviderError(AnimateError):
    pass


class ProviderAuthError(ProviderError):
    pass


class NotSuited(AnimateError):
    """The provider's vision model judged the picture unsuited to motion (a chart, a screenshot): it stays still,
    counted under `reason`, with no warning and nothing paid."""

    reason = "not suited"


class CacheError(AnimateError):
    pass
