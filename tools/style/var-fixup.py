#!/usr/bin/env python3
"""Tidies what `dotnet format` writes when it replaces `var` (IDE0008) on the lines it changed since BASE:
  - it annotates every reference type it writes as nullable (`foreach (Thread? t in threads)`,
    `(string? root, string? path) = Fixture()`, `out NdArray? a`), because `var` is always nullable-annotated;
    the `?` is dropped, and a build (nullable warnings are errors) names the few places that need it back;
  - it writes typed discards (`(int x, int _) = ...`); they become `_`.
Usage: var-fixup.py BASE [files...]   (BASE: the commit before the format run; files: limit to these)
       var-fixup.py --restore BUILD_LOG  (puts the `?` back where that build reports CS8600 on a declaration)."""
import re
import subprocess
import sys

# A '?' ending a type (after a name, '>', ']' or ')') that is followed by one identifier and then '=', 'in', ')' or ','.
# (It also catches a tuple type's element, `(string A, float[]? B)[] x`; the build then reports CS8619 there.)
NULLABLE = re.compile(r"(?<=[\w>\])])\?(?= \w+\s*(?:=(?!=)|\bin\b|\)|,))")
# A typed discard in a deconstruction: '(T _,' / ', T _)' -> '_' ('out _' is already a discard and stays).
DISCARD = re.compile(r"(?<=[(,] )(?!(?:out|ref|in)\b)[\w.]+(?:<[^()]*?>)?(?:\[\])*\?? _(?=[,)])|(?<=\()(?!(?:out|ref|in)\b)[\w.]+(?:<[^()]*?>)?(?:\[\])*\?? _(?=[,)])")


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


# "path(line,col): error CS8600": the column is the declared type (out T x) or the value (T x = value, foreach).
CS8600 = re.compile(r"^(?P<path>[^\s(][^(]*)\((?P<line>\d+),(?P<col>\d+)\): (?:error|warning) CS8600\b", re.M)
DECLARATION = re.compile(r"(?<![\w.])(?!(?:in|is|as|out|ref|return|new|not|await|var)\b)[\w.]+(?:<[^()]*?>)?(?:\[\])*(?= \w+\s*(?:=(?!=)|\bin\b|\)|,))")


def restore(log):
    with open(log, encoding="utf-8") as f:
        spots = sorted({(m["path"], int(m["line"]), int(m["col"])) for m in CS8600.finditer(f.read())})
    for path, line, col in spots:
        with open(path, encoding="utf-8") as f:
            text = f.read().split("\n")
        # A foreach over tuples points at the collection, not at the element: which one needs the `?` is for a person.
        if re.search(r"\bforeach\s*\(\(", text[line - 1]):
            print(f"{path}:{line}:{col}: foreach deconstruction, put the `?` back by hand: {text[line - 1].strip()}")
            continue
        # The declaration the warning is about: the last one that starts at or before the column.
        found = [m for m in DECLARATION.finditer(text[line - 1]) if m.start() <= col - 1]
        if not found or text[line - 1][found[-1].end() - 1] == "?":
            print(f"{path}:{line}:{col}: no declaration here, left as is: {text[line - 1].strip()}")
            continue
        end = found[-1].end()
        text[line - 1] = text[line - 1][:end] + "?" + text[line - 1][end:]
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(text))
        print(f"{path}:{line}: {text[line - 1].strip()}")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--restore":
        return restore(argv[2])
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
