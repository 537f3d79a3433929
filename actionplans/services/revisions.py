"""Revised maps, written: an action whose link was removed is marked obsolete or relinked to another touchpoint
of its map. The review list is read in ``actionplans.selectors.revisions``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.models import Action
from actionplans.selectors.revisions import relink_map_id
from actionplans.services.access import require_manager
from actionplans.services.actions import action_update
from actionplans.services.links import LINK_FIELDS
from journeys.models import Touchpoint


@transaction.atomic
def action_review_mark_obsolete(*, action: Action, by) -> Action:
    """Close an action whose link was removed: status obsolete (recorded in its history)."""
    return action_update(action=action, data={"status": Action.Status.OBSOLETE}, by=by)


@transaction.atomic
def action_review_relink(*, action: Action, touchpoint: Touchpoint, by) -> Action:
    """Link the action to another touchpoint of the same map; the removed links are forgotten."""
    require_manager(by, _("relink actions"))
    map_id = relink_map_id(action)
    if map_id is None or touchpoint.stage.journey_map_id != map_id:
        raise ValidationError({"touchpoint": _("Choose a touchpoint of the map the action was linked to.")})
    action = action_update(action=action, data={"touchpoint": touchpoint}, by=by)
    stale = [
        f"{field}_label"
        for field in LINK_FIELDS
        if getattr(action, f"{field}_id") is None and getattr(action, f"{field}_label")
    ]
    if stale:
        for name in stale:
            setattr(action, name, "")
        action.save(update_fields=stale)
    return action
