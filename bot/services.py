"""What the handlers need, built once by the composition root and reached through the context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.background import Background
from bot.i18n.catalog import Catalog, Translator
from bot.settings import Settings
from bot.ticks import TickObserver
from scheduler.clock import Clock
from scheduler.delivery.worker import DeliveryWorker
from scheduler.participants import LanguagePrefs
from scheduler.plan.model import Plan
from scheduler.plan_runtime import PlanRuntime
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.core import Answer, Core

SERVICES_KEY = "eskertu.services"


@dataclass(frozen=True)
class Services:
    settings: Settings
    core: Core
    catalog: Catalog
    delivery: DeliveryWorker
    background: Background
    ticks: TickObserver

    @property
    def db(self) -> Database:
        return self.core.db

    @property
    def clock(self) -> Clock:
        return self.core.clock

    @property
    def runtime(self) -> PlanRuntime:
        return self.core.plans.current

    @property
    def plan(self) -> Plan:
        return self.core.plans.current.plan

    def translator(self, prefs: LanguagePrefs) -> Translator:
        return self.catalog.for_language(prefs.resolve(self.settings.default_language))

    def tr(self, answer: Answer[Any]) -> Translator:
        """The translator of the person a use case answered."""
        return self.translator(answer.prefs)


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    return services_of(context.application)


def services_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    found = app.bot_data[SERVICES_KEY]
    if not isinstance(found, Services):
        raise TypeError("the application was not built by bot.__main__.build_application")
    return found
