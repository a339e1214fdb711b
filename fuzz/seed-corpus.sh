#!/usr/bin/env bash
# Fills fuzz/corpus/generate/ with the seed specs (fixtures, Modbox, the shared corpus when present),
# each prefixed with the byte that selects its format in the fuzz target. Never committed.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/generate
for f in ../tests/fixtures/*.yaml ../tests/fixtures/errors/*.yaml ../specs/modbox.yaml ../../shared/corpus/specs/*; do
  [ -f "$f" ] || continue
  case "$f" in *.json) prefix='\x01' ;; *) prefix='\x00' ;; esac
  { printf "$prefix"; cat "$f"; } > "corpus/generate/$(basename "$f")"
done
ls corpus/generate | wc -l
