"""``python -m bot`` with a status reply's database work taken out: the floor under a reply.

``bench.replies --floor`` runs the bot as ``python -m bench.floor_bot``. Each officer's
first reply is answered by the real use case, in its one transaction; every later reply of
theirs gets that same answer again without a transaction. Everything else is the bot's own:
python-telegram-bot's dispatch through the handler list, the foreign-id check, the caller,
the rendering from the catalog, the answer's sendMessage and whatever else runs in the
process (the delivery worker, the jobs). The rate measured so, against the echo bot's, is
the most that any work on the reply's database side could bring the ratio to.
"""

from __future__ import annotations

import sys

import scheduler.usecases.replies as reply_usecase
from bot.__main__ import main
from scheduler.participants import Caller
from scheduler.usecases.core import Answer, Core
from scheduler.usecases.status_updates import Reply


def answer_once_per_chat() -> None:
    """Make the reply use case answer each chat's later replies as it answered its first."""
    answer = reply_usecase.answer_reply
    answered: dict[int | None, Answer[reply_usecase.Answered]] = {}

    async def remembered(
        core: Core, caller: Caller, reply: Reply
    ) -> Answer[reply_usecase.Answered]:
        found = answered.get(caller.chat_id)
        if found is None:
            found = answered[caller.chat_id] = await answer(core, caller, reply)
        return found

    reply_usecase.answer_reply = remembered


if __name__ == "__main__":
    answer_once_per_chat()
    sys.exit(main([]))
