#!/bin/sh
# Prints the path of a Python >= 3.12 interpreter, or explains and fails.
# Django 6.1 needs 3.12+; the machine default python3 may be older.
for cand in "$WUSHE_PYTHON" python3.13 python3.12 python3 \
    /root/.pyenv/versions/3.13*/bin/python /root/.pyenv/versions/3.12*/bin/python \
    /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
echo "wushe needs Python >= 3.12 (Django 6.1). None was found on PATH or under /root/.pyenv/versions." >&2
echo "Install one (e.g. apt-get install python3.12 python3.12-venv) or set WUSHE_PYTHON=/path/to/python3.12." >&2
echo "wushe 需要 Python 3.12 或更高版本;请安装后重试,或设置 WUSHE_PYTHON。" >&2
exit 1
