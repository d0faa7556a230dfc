"""The secretariat's groups and what each may do in the admin, as data.

Editors keep every record of the partnership current: they add, change and view all
content, and review members' submissions (the review actions need the change
permission), but they delete no record and manage no account. Managers may do all
that editors do, and also delete records, manage user accounts and see the groups.

Funding proposals are the secretariat's own planning: editors add and change them too.
The parts a record owns and that are edited inline with it (building blocks, focal
points, an activity's organizers and documents) may be deleted by editors as well:
removing a building block is editing the best practice, not deleting a record.

A data migration creates the groups from this table (`sync_groups`). When the table
changes, add a migration that calls `sync_groups` again: it sets each group's
permissions to exactly those listed here.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions

EDITORS = "Secretariat editors"
MANAGERS = "Secretariat managers"

VIEW = ("view",)
ADD_CHANGE_VIEW = ("add", "change", "view")
ALL = ("add", "change", "delete", "view")

# The records of the partnership: "app_label.model" of each.
CONTENT = (
    "activities.activity",
    "activities.workarea",
    "activities.focalactivity",
    "knowledge.bestpractice",
    "knowledge.resource",
    "knowledge.story",
    "knowledge.theme",
    "knowledge.ecosystem",
    "knowledge.challenge",
    "knowledge.gbftarget",
    "knowledge.homehero",
    "members.organization",
    "members.membership",
    "members.protectedarea",
    "members.managementeffectivenessevaluation",
    "members.transboundaryarea",
    "calls.call",
    # Members' proposed changes to their profiles, reviewed like best practices.
    "members.profilechange",
    # Their translations: each its own record, with its own status and history.
    "activities.activitytranslation",
    "activities.workareatranslation",
    "activities.focalactivitytranslation",
    "knowledge.bestpracticetranslation",
    "knowledge.resourcetranslation",
    "knowledge.storytranslation",
    "knowledge.themetranslation",
    "knowledge.ecosystemtranslation",
    "knowledge.challengetranslation",
    "knowledge.gbftargettranslation",
    "members.organizationtranslation",
    "members.protectedareatranslation",
    "calls.calltranslation",
)
# Rows that belong to one record and are edited in its page (admin inlines).
PARTS = (
    "activities.activityorganization",
    "activities.activitydocument",
    "knowledge.buildingblock",
    "knowledge.buildingblocktranslation",
    "members.focalpoint",
    "calls.calldocument",
    "members.proposedfocalpoint",
)

GROUP_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    EDITORS: {
        **dict.fromkeys(CONTENT, ADD_CHANGE_VIEW),
        **dict.fromkeys(PARTS, ALL),
        "activities.fundingproposal": ADD_CHANGE_VIEW,
        # The ISO list of countries: chosen in forms, changed by managers only.
        "members.country": VIEW,
        # Protected Planet's figures come from import_country_statistics only.
        "countries.countrystatistics": VIEW,
        # The record of each WDPA import, written by import_wdpa only.
        "members.wdpaimport": VIEW,
        # Members' responses to calls are theirs: read (and exported), not rewritten.
        "calls.callresponse": VIEW,
        "calls.callresponseattachment": VIEW,
        "calls.callreminder": VIEW,
        # Account requests are read by editors; managers, who run accounts, decide them.
        "members.accountrequest": VIEW,
        # The outbox: whether an email left, or why not (bodies are never shown).
        "apap_portal.email": VIEW,
    },
    MANAGERS: {
        **dict.fromkeys(CONTENT, ALL),
        **dict.fromkeys(PARTS, ALL),
        "activities.fundingproposal": ALL,
        "members.country": ALL,
        "countries.countrystatistics": VIEW,
        "members.wdpaimport": VIEW,
        # A response sent by mistake (or a member's data to erase) is removed by a manager.
        "calls.callresponse": ("delete", "view"),
        "calls.callresponseattachment": ("delete", "view"),
        "calls.callreminder": VIEW,
        # Accounts are deactivated, not deleted: their history stays readable.
        "members.user": ADD_CHANGE_VIEW,
        # Approving or declining a request is a change; spam may be deleted.
        "members.accountrequest": ALL,
        # Members' API tokens: seen and revoked (a change), never made nor read back.
        "api.apitoken": ("change", "view"),
        "auth.group": VIEW,
        # The outbox: seen, and a failed email sent again (a change).
        "apap_portal.email": ("change", "view"),
        # Subscribers' addresses (personal data): managers answer and erase them.
        "subscriptions.subscriber": ALL,
        "subscriptions.subscription": ALL,
    },
}


def codenames(group: str) -> set[tuple[str, str]]:
    """(app_label, codename) of every permission the group holds."""
    return {
        (model_label.split(".")[0], f"{action}_{model_label.split('.')[1]}")
        for model_label, actions in GROUP_PERMISSIONS[group].items()
        for action in actions
    }


def create_all_permissions(apps) -> None:
    """Create the permissions of every model `apps` knows, as post_migrate would.

    Permissions are normally created after all migrations: a migration that gives the
    groups a new model's permissions creates them first.
    """
    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module; the historical
        # registry's app configs have none.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def sync_groups(apps) -> None:
    """Create the groups and give each exactly the permissions of the table.

    `apps` is a migration's historical registry (or django.apps.apps). A model that
    does not exist yet at this point of the migrations is skipped: the migration that
    adds it to the table grants it. A missing permission of an existing model is an
    error in the table.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GROUP_PERMISSIONS.items():
        permissions = []
        for model_label, actions in models.items():
            app_label, model_name = model_label.split(".")
            try:
                apps.get_model(app_label, model_name)
            except LookupError:
                continue
            for action in actions:
                permissions.append(
                    Permission.objects.get(
                        content_type__app_label=app_label,
                        content_type__model=model_name,
                        codename=f"{action}_{model_name}",
                    )
                )
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
