from django import template
from django.conf import settings
from django.urls import reverse

from newsletter.services import unsubscribe_token

register = template.Library()


@register.simple_tag
def unsubscribe_url(user) -> str:
    """The recipient's own link to stop the newsletter, good without signing in."""
    path = reverse("newsletter_unsubscribe", args=[unsubscribe_token(user)])
    return settings.SITE_URL.rstrip("/") + path
