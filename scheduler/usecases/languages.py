"""Choosing the interface language: a group's for the group, a private chat's for its user."""

from __future__ import annotations

from scheduler.participants import Caller, LanguagePrefs
from scheduler.refusals import Refusal, Why
from scheduler.usecases.core import Answer, Core


async def choose_language(
    core: Core, caller: Caller, *, language: str, group_admin: bool
) -> Answer[LanguagePrefs | Refusal]:
    """Remember ``language``; in a group only its administrators may choose.

    The answer's languages are those before the choice; the result holds the new ones.
    """
    async with core.visit(caller) as visit:
        chat, user = caller.chat, caller.user
        if chat is None or user is None:
            return visit.answer(Refusal.of(Why.UNCLEAR))
        if chat.is_group:
            if not group_admin:
                return visit.answer(Refusal.of(Why.GROUP_LANGUAGE_ADMINS_ONLY))
            await visit.uow.contacts.set_chat_language(chat.id, language)
            return visit.answer(LanguagePrefs(visit.prefs.user, language, visit.prefs.telegram))
        await visit.uow.contacts.set_user_language(user.id, language)
        return visit.answer(LanguagePrefs(language, visit.prefs.chat, visit.prefs.telegram))
