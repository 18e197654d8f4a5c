#!/bin/sh
# Nightly PostgreSQL base backup for wushe (run by wushe-basebackup.service as postgres).
#   wushe-basebackup.sh BASE_DIR WAL_DIR [KEEP]
# Takes a compressed tar base backup into BASE_DIR/YYYYmmddTHHMMSS, keeps the newest KEEP
# (default 2), and removes archived WAL in WAL_DIR older than the oldest backup kept
# (pg_archivecleanup, from its backup_label's START WAL file). Restore: docs/backup.md.
set -eu
base_dir=$1
wal_dir=$2
keep=${3:-2}
umask 077
stamp=$(date +%Y%m%dT%H%M%S)
target="$base_dir/$stamp"
pg_basebackup -D "$target.partial" -Ft -z -X stream -c fast
mv "$target.partial" "$target"
# The newest KEEP complete backups stay; older ones go.
ls -1d "$base_dir"/2*[0-9] | sort | head -n "-$keep" | while read -r old; do rm -rf "$old"; done
oldest=$(ls -1d "$base_dir"/2*[0-9] | sort | head -n 1)
first_wal=$(tar -xzOf "$oldest/base.tar.gz" backup_label \
    | sed -n 's/^START WAL LOCATION: .* (file \([0-9A-F]*\))$/\1/p')
if [ -n "$first_wal" ]; then
    pg_archivecleanup "$wal_dir" "$first_wal"
fi
echo "base backup $target; WAL before $first_wal removed from $wal_dir"
