"""factory_boy factories for the portal's models."""

from __future__ import annotations

from datetime import date

import factory
from django.utils.text import slugify

from grantees.models import (
    CoachAssignment,
    CoachProfile,
    Grantee,
    Invitation,
    Membership,
    Program,
    ProgramRole,
    Region,
    User,
)

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    starts_on = date(2026, 7, 1)
    ends_on = date(2027, 6, 30)


class GranteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grantee

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Consortium {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = factory.LazyFunction(
        lambda: Region.objects.order_by("name").first() or RegionFactory()
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    grantee = factory.SubFactory(GranteeFactory)
    role = Membership.Role.STAFF


class CoachProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachProfile

    user = factory.SubFactory(UserFactory)
    title = "TA coach"


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    coach = factory.SubFactory(UserFactory)
    grantee = factory.SubFactory(GranteeFactory)


class ProgramRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramRole

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = ProgramRole.Role.TA_ADMIN


def make_invitation(
    *, grantee, email, role="staff", invited_by=None, **extra
) -> tuple[Invitation, str]:
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        grantee=grantee,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        **extra,
    )
    return invitation, token


def make_hour_account(grantee, minutes: int = 6000):
    """An hour account with `minutes` allocated, through the real posting API."""
    from support_hours.ledger import ledger_post
    from support_hours.models import HourAccount, LedgerEntry

    account = HourAccount.objects.create(
        grantee=grantee,
        period_starts_on=grantee.program.starts_on,
        period_ends_on=grantee.program.ends_on,
    )
    if minutes:
        ledger_post(
            account=account,
            kind=LedgerEntry.Kind.ALLOCATION,
            minutes=minutes,
            key=f"test-allocation:{account.pk}",
        )
    return account
