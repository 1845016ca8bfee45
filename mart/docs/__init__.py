"""`mart docs`: a static site of what the mart knows (see mart.docs.site)."""

from mart.docs.site import SOURCE_CHOICES, SiteReport, build

__all__ = ["SOURCE_CHOICES", "SiteReport", "build"]
