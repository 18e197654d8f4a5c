#!/bin/sh
# Refresh the message catalogues: the foundation's in wushe/locale, and one per capability app
# that has its own wushe/<app>/locale (so apps built in parallel never edit the same .po).
# Then fill the zh_Hans msgstrs (scripts/po_set.py helps) and run: scripts/i18n.sh compile
set -e
cd "$(dirname "$0")/.."
ADMIN="$(pwd)/.venv/bin/django-admin"
export DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH="$(pwd)"
apps=$(for d in wushe/*/locale; do basename "$(dirname "$d")"; done)
if [ "$1" = compile ]; then
  "$ADMIN" compilemessages --ignore=.venv --ignore=node_modules
  exit
fi
ignores=""
for app in $apps; do ignores="$ignores --ignore=wushe/$app/*"; done
# shellcheck disable=SC2086
"$ADMIN" makemessages -l zh_Hans -l en --no-obsolete --no-wrap --ignore=.venv --ignore=node_modules $ignores
for app in $apps; do
  (cd "wushe/$app" && "$ADMIN" makemessages -l zh_Hans -l en --no-obsolete --no-wrap)
done
