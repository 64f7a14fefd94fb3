"""The one exception tree of the package.

    AnimateError                 anything this package reports about one image
      ImageProblem               the still image cannot be used (unreadable, too large)
        MissingImage             no such file in the site
      MediaError                 ffmpeg failed, or an output did not probe as what it should be
      ProviderError              a provider call failed (message is safe to log: it never holds a key)
        ProviderAuthError        401/403: no further call is made for the rest of the build
      NotSuited                  the provider judged that motion does not suit the picture: left still, no warning
      CacheError                 the cache folder cannot be read or written
      ReviewError                the review file has a mistake to fix first, or cannot be written
      InputError                 what the command was given cannot be used:
        SourceError              a page (file or URL) cannot be read as a page
        FetchError               a resource of a page cannot be fetched
        ProjectError             a project's configuration (mkdocs.yml, zensical.toml) cannot be read

Every error the package raises derives from `AnimateError`. The plugin turns an image's into a warning naming the
page and the image, and the command turns its inputs' into a message; anything else is a bug and propagates.
"""


class AnimateError(Exception):
    """What the package reports; for one image: the image stays still and the build goes on."""


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


class ReviewError(AnimateError):
    """The review file cannot be written (it has a mistake to fix first, or the disk refused)."""


class InputError(AnimateError):
    """What the command was given cannot be used; the message names it, says why and what to do."""


class SourceError(InputError):
    pass


class FetchError(InputError):
    pass


class ProjectError(InputError):
    pass
