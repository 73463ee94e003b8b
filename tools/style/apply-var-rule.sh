#!/usr/bin/env bash
# Re-applies the `var` rule (.editorconfig: IDE0007/IDE0008, enforced in the build) with dotnet format, then tidies
# what the formatter writes (tools/style/var-fixup.py: no `?` on every written-out type, `_` for typed discards).
#   tools/style/apply-var-rule.sh                          # every .cs file of MsMano.sln (5-20 min on a loaded machine)
#   tools/style/apply-var-rule.sh src/A/B.cs tests/C/D.cs  # only these files
# After merging a branch written before the rule, run it on the C# files the merge brought in, then build in Release:
#   tools/style/apply-var-rule.sh $(git diff --name-only --diff-filter=AM ORIG_HEAD HEAD -- '*.cs')
# A nullable warning (CS86xx) in that build marks a `?` the tidy step removed that was needed: put it back.
# An IDE0007/IDE0008 left in the build: run the script again on that file (one pass can leave some).
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$(git stash create)
base=${base:-HEAD}
args=(style MsMano.sln --diagnostics IDE0007 IDE0008 --severity info)
if (($# > 0)); then
    args+=(--include "$@")
fi
nice -n 10 dotnet format "${args[@]}"
python3 tools/style/var-fixup.py "$base" "$@"
