#!/usr/bin/env bash
# Behaviour-preservation check: run every scenario under Scenarios/ (twins, chaos and bench
# included) at two seeds on a reduced population with the given binary, and keep the .json,
# .txt and .md reports and a dump of every table, so two binaries can be compared byte for byte.
#
#   scripts/snapshot-outputs.sh BINARY OUT_DIR [CUSTOMERS]
#   diff -r OUT_A OUT_B && echo identical
#
# The run table's command line and file paths (which name the temporary folders) are left out.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
customers=${3:-3000}
cd "$(dirname "$0")/.."
rm -rf "$out"; mkdir -p "$out"
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
for file in $(find Scenarios -name '*.yaml' | sort); do
  for seed in 1 2; do
    tag=$(echo "$file" | tr '/' '_')--$seed
    set +e
    "$bin" run "$file" --seed "$seed" --customers "$customers" --reports-dir "$reports" --quiet >/dev/null 2>"$out/$tag.stderr"
    echo "exit $?" >> "$out/$tag.stderr"
    set -e
    for db in $(find "$reports" -name '*.sqlite' | sort); do
      sqlite3 "$db" .dump | grep -v '^INSERT INTO run VALUES' > "$out/$tag.tables"
      stem=${db%.sqlite}
      for ext in json txt md html; do
        [ -f "$stem.$ext" ] && sed "s|$reports|REPORTS|g" "$stem.$ext" > "$out/$tag.$ext"
      done
    done
    rm -rf "${reports:?}"/*
  done
done
echo "snapshot of $(ls "$out" | wc -l) files in $out"
