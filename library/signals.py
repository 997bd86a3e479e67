"""Library search results are cached until the library changes (portal/versions.py): any saved or
deleted resource, topic or pathway model, and any change to a resource's topics or models, moves
the "library" version once it commits. The services' queryset updates (search vectors,
publishing filed drafts) move it themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from grantees.models import Topic
from library.models import PathwayModel, Resource
from portal.versions import bump_version_on_commit


def _library_changed(sender, **kwargs):
    bump_version_on_commit("library")


for model in (Resource, Topic, PathwayModel):
    post_save.connect(_library_changed, sender=model, dispatch_uid=f"library-save-{model.__name__}")
    post_delete.connect(
        _library_changed, sender=model, dispatch_uid=f"library-del-{model.__name__}"
    )
for link in (Resource.topics.through, Resource.pathway_models.through):
    m2m_changed.connect(_library_changed, sender=link, dispatch_uid=f"library-m2m-{link.__name__}")
