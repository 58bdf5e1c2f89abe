"""The delivery worker's life: started after the bot starts, stopped gracefully before it ends."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from scheduler.delivery.worker import DeliveryWorker

log = logging.getLogger("eskertu.delivery")


class Background:
    def __init__(self) -> None:
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self, worker: DeliveryWorker) -> None:
        if self._task is None:
            self._stop = asyncio.Event()
            self._task = asyncio.create_task(worker.run(self._stop), name="eskertu-delivery")

    async def stop(self, grace: float = 30.0) -> None:
        """Let the worker finish the message in flight and give back the rest."""
        if self._task is None:
            return
        self._stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            log.warning("delivery did not stop within %.0f s; cancelling it", grace)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        finally:
            self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()
