#!/usr/bin/env python3
"""Tidies what `dotnet format` writes when it replaces `var` (IDE0008) on the lines it changed since BASE:
  - it annotates every reference type it writes as nullable (`foreach (Thread? t in threads)`,
    `(string? root, string? path) = Fixture()`, `out NdArray? a`), because `var` is always nullable-annotated;
    the `?` is dropped, and a build (nullable warnings are errors) names the few places that need it back;
  - it writes typed discards (`(int x, int _) = ...`); they become `_`.
Usage: var-fixup.py BASE [files...]   (BASE: the commit before the format run; files: limit to these)."""
import re
import subprocess
import sys

# A '?' ending a type (after a name, '>', ']' or ')') that is followed by one identifier and then '=', 'in', ')' or ','.
NULLABLE = re.compile(r"(?<=[\w>\])])\?(?= \w+\s*(?:=(?!=)|\bin\b|\)|,))")
# A typed discard in a deconstruction: '(T _,' / ', T _)' -> '_'.
DISCARD = re.compile(r"(?<=[(,] )[\w.]+(?:<[^()]*?>)?(?:\[\])*\?? _(?=[,)])|(?<=\()[\w.]+(?:<[^()]*?>)?(?:\[\])*\?? _(?=[,)])")


def changed_lines(base, files):
    out = subprocess.run(["git", "diff", "-U0", base, "--", *(files or ["*.cs"])], check=True, capture_output=True, text=True).stdout
    lines, path = {}, None
    for line in out.splitlines():
        if line.startswith("+++ "):
            path = None if line.endswith("/dev/null") else line[6:]
        elif line.startswith("@@") and path and path.endswith(".cs"):
            m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            start, count = int(m.group(1)), int(m.group(2) or "1")
            lines.setdefault(path, set()).update(range(start, start + count))
    return lines


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    total = 0
    for path, numbers in changed_lines(argv[1], argv[2:]).items():
        with open(path, encoding="utf-8") as f:
            text = f.read().split("\n")
        edits = 0
        for n in numbers:
            old = text[n - 1]
            new = DISCARD.sub("_", NULLABLE.sub("", old))
            if new != old:
                text[n - 1] = new
                edits += 1
        if edits:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write("\n".join(text))
            print(f"{path}: {edits} line(s)")
            total += edits
    print(f"{total} line(s) tidied")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
