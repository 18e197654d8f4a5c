"""The needs' step hook: a need's 受理, 办结 and 回访 queue a status update for its order."""

from __future__ import annotations

from wushe.hotline.services import need_stepped
from wushe.needs.hooks import on_step

on_step(need_stepped)
