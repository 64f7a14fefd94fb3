"""mkdocs-animate-plugin: gentle looping animations for the content images of a MkDocs site."""

__version__ = "0.1.0"
__all__ = ["__version__"]
