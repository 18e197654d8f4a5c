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
