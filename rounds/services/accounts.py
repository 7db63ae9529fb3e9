"""Accounts made by a sign-in: with OIDC_CREATE_USERS=1 a person the municipality's
provider vouches for, unknown here, gets an account with no roles (an
administratör gives them their memberships)."""

from django.db import IntegrityError, transaction

from prioritering.audit import save_as
from rounds.models import User


def create_signed_in_user(*, email: str, first_name: str, last_name: str) -> User | None:
    """The new account, named by its e-mail address (lower case), with no usable
    password and no roles; None when that username is taken by another account."""
    username = email.lower()[:150]
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        last_sign_in_method="oidc",
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            if User.objects.filter(username__iexact=username).exists():
                return None
            save_as(user, by=None)
    except IntegrityError:
        # The same person's second tab, a moment earlier: that account.
        return User.objects.filter(username=username, email__iexact=email).first()
    return user
