"""One name per state (issue #19 item 5): every choice of every model reads, in Chinese, what its
own app's catalogue says. The project-wide catalogue (LOCALE_PATHS) wins over the apps' own, so
a short English label two apps share ("Accepted": 已受理 for a need, 已验收 for a project) took
the other app's word: the staff queue said 已验收 where the public page said 已受理."""

from __future__ import annotations

import gettext
from pathlib import Path

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise


def _catalogue(app_path: str) -> gettext.GNUTranslations | None:
    mo = Path(app_path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    if not mo.exists():
        return None
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


def test_every_choice_label_reads_as_its_own_app_says() -> None:
    wrong = []
    with translation.override("zh-hans"):
        for config in apps.get_app_configs():
            if not config.name.startswith("wushe."):
                continue
            own = _catalogue(config.path)
            if own is None:
                continue
            for model in config.get_models():
                for field in model._meta.fields:
                    for value, label in field.flatchoices or []:
                        if not isinstance(label, Promise):
                            continue
                        msgid = getattr(label, "_proxy____args", ("",))[0]
                        if not isinstance(msgid, str) or not msgid:
                            continue
                        said = own.gettext(msgid)
                        if said != msgid and said != str(label):
                            wrong.append(f"{model.__name__}.{field.name}={value}: "
                                         f"{label!s} (its app says {said})")
    assert not wrong, wrong
