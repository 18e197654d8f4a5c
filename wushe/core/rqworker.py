"""RQ's worker as ``wushe worker`` runs it (WUSHE_TASKS_URL): the work horse dies with it.

RQ forks a work horse for each job and puts it in a process group of its own, so the horse
outlives a killed worker: an import would go on writing with no heartbeat, shown as interrupted
while it still runs. Here the horse asks the kernel to kill it when its parent dies, as the
worker itself does with the supervisor (core/worker.py).
"""

from __future__ import annotations

import os
from typing import Any

from rq.worker import Worker as BaseWorker

from wushe.core.worker import _die_with_parent


class Worker(BaseWorker):
    _worker_pid = 0

    def fork_work_horse(self, job: Any, queue: Any) -> None:
        self._worker_pid = os.getpid()
        super().fork_work_horse(job, queue)

    def main_work_horse(self, job: Any, queue: Any) -> None:
        _die_with_parent()
        if os.getppid() != self._worker_pid:  # the worker died before the line above
            os._exit(1)
        super().main_work_horse(job, queue)

    def unsubscribe(self) -> None:
        """Leave the pubsub channel without RQ's race (the reason ``wushe worker`` on Redis could
        take a minute to stop on SIGTERM on a loaded machine).

        RQ sends UNSUBSCRIBE and then stops its pubsub thread, whose ``stop()`` waits for the
        thread to end. The thread reads with a 60-second timeout: when it reads Redis's answer to
        the UNSUBSCRIBE before its running flag is cleared, it goes back to a 60-second read.
        Clearing the flag first (``stop(timeout=0)``) makes that answer the thread's last read.
        """
        thread = self.pubsub_thread
        if not thread:
            return
        self.log.info("Worker %s: unsubscribing from channel %s", self.name, self.pubsub_channel_name)
        thread.stop(timeout=0)  # the running flag cleared; do not wait yet
        self.pubsub.unsubscribe()  # Redis's answer wakes the thread, which now ends
        thread.join(timeout=10)
        if not thread.is_alive():  # never disconnect a socket the thread still reads
            self.pubsub.close()
