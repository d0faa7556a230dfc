"""A person's data in members: their account, and focal points listed under their address.

Erasing an account anonymises it rather than deleting it: the history of the records
they edited and the best practices they submitted keep pointing to an "erased" account
with no name, no address and no way to sign in. Focal points with the address are
removed from their organization's profile.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessLog

from members.models import FocalPoint, User


def _account(user: User) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organization": user.organization.name if user.organization else None,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "is_active": user.is_active,
        "sign_ins_recorded": AccessLog.objects.filter(username=user.username).count(),
    }


def personal_data(email: str) -> dict:
    users = User.objects.filter(email__iexact=email).select_related("organization")
    focal_points = FocalPoint.objects.filter(email__iexact=email).select_related(
        "membership__organization"
    )
    data = {}
    if accounts := [_account(user) for user in users]:
        data["accounts"] = accounts
    if listed := [
        {
            "organization": point.membership.organization.name,
            "name": point.name,
            "role": point.role,
            "email": point.email,
        }
        for point in focal_points
    ]:
        data["focal_points"] = listed
    return data


def erase(email: str) -> int:
    changed = 0
    for user in User.objects.filter(email__iexact=email):
        AccessLog.objects.filter(username=user.username).delete()
        AccessAttempt.objects.filter(username=user.username).delete()
        user.username = f"erased-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.organization = None
        user.is_active = False
        user.set_unusable_password()  # also ends every session it had
        user.save()
        changed += 1
    deleted, _ = FocalPoint.objects.filter(email__iexact=email).delete()
    return changed + deleted
