"""Status replies: what an agency's chat message says about a plan item."""

from scheduler.statuses.classify import classify
from scheduler.statuses.status import Confidence, Reading, Status

__all__ = ["Confidence", "Reading", "Status", "classify"]
