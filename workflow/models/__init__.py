"""The workflow's tables, one module per concept (all under the ``workflow`` app label).

- ``users``: people, role titles, acting officials (Plt./Plh.)
- ``log``: the transition log
- ``records``: what each step produced (receipt, disposition, decision …)
- ``calendar``: step standards and the office calendar
- ``visits``: stays in a step and the reminders about them
- ``assignments``: who builds the application
- ``comments``, ``notifications``
- ``office``: the office around the steps (study checklist, returns to the unit, meetings
  and invitations, the unit's agreement, reuse of an application, handover)
"""

from workflow.models.assignments import PrakomAssignment
from workflow.models.calendar import (
    WORKING_DAYS_PER_UNIT,
    CalendarDay,
    StandardUnit,
    StepStandard,
)
from workflow.models.comments import Comment, CommentRevision
from workflow.models.log import TransitionLog
from workflow.models.notifications import Notification
from workflow.models.office import (
    HOSTING_UNDECIDED,
    MEETING_OF_STATE,
    STUDY_HOSTING_CHOICES,
    ApplicationReuse,
    CompletionRequest,
    Handover,
    Invitation,
    Meeting,
    MeetingKind,
    StudyChecklist,
    UnitAgreement,
    pending_meeting,
)
from workflow.models.records import (
    Check,
    Decision,
    DesignRecord,
    Disposition,
    Instruction,
    PresentationRound,
    Receipt,
    ReportRecord,
    ReviewOutcome,
    ReviewRound,
    Sifat,
    Socialisation,
    StepRecord,
)
from workflow.models.users import ACTING_ROLES, ActingAssignment, ActingKind, RoleTitle, User
from workflow.models.visits import ReminderLog, StepVisit

__all__ = [
    "ACTING_ROLES",
    "HOSTING_UNDECIDED",
    "MEETING_OF_STATE",
    "STUDY_HOSTING_CHOICES",
    "ApplicationReuse",
    "CompletionRequest",
    "Handover",
    "Invitation",
    "Meeting",
    "MeetingKind",
    "StudyChecklist",
    "UnitAgreement",
    "pending_meeting",
    "WORKING_DAYS_PER_UNIT",
    "ActingAssignment",
    "ActingKind",
    "CalendarDay",
    "Check",
    "Comment",
    "CommentRevision",
    "Decision",
    "DesignRecord",
    "Disposition",
    "Instruction",
    "Notification",
    "PrakomAssignment",
    "PresentationRound",
    "Receipt",
    "ReminderLog",
    "ReportRecord",
    "ReviewOutcome",
    "ReviewRound",
    "RoleTitle",
    "Sifat",
    "Socialisation",
    "StandardUnit",
    "StepRecord",
    "StepStandard",
    "StepVisit",
    "TransitionLog",
    "User",
]
