#!/usr/bin/env python3
"""One test-name style: renames PascalCase [Fact]/[Theory] methods under tests/ to the majority
Sentence_style_with_underscores (e.g. KabschRecoversAKnownRigidTransform -> Kabsch_recovers_a_known_rigid_transform).
Acronyms (MPJPE, PCA, MANO, DexYCB's YCB) and numbers stay as written. Idempotent: names with an underscore are kept."""
import pathlib
import re
import sys

WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+[a-z]*")
# Proper names written in camel case stay one word.
KEEP = ["MuJoCo", "MyoHand", "DexYCB", "OakInk", "RefineNet", "IDNet", "IdNet", "BioPR", "TensorBoard", "FreiHAND",
        "MessagePack", "TorchSharp", "HOnnotate", "NaN", "NaNs", "PyTorch", "NumPy", "GitHub", "JSON", "MJCF", "HOCON", "DexYcb", "CPython", "DType", "CSharp", "BioPr", "S0", "OakInk"]
TEST = re.compile(r"(\[(?:Fact|Theory)[^\]]*\][^{;]*?public\s+(?:async\s+Task|void)\s+)([A-Za-z0-9_]+)(\s*\()", re.S)


def snake(name: str) -> str:
    if "_" in name:
        return name
    words = []
    rest = name
    while rest:
        keep = next((k for k in KEEP if rest.startswith(k) and not rest[len(k):len(k) + 1].islower()), None)
        if keep:
            words.append(keep)
            rest = rest[len(keep):]
            continue
        m = WORD.match(rest)
        if not m:
            return name
        words.append(m.group(0))
        rest = rest[m.end():]
    if len(words) < 2:
        return name
    out = [words[0]]
    for w in words[1:]:
        out.append(w if w in KEEP or (len(w) > 1 and w.isupper()) or w[0].isdigit() else w.lower())
    return "_".join(out)


def main(root: str) -> int:
    renamed = 0
    for path in sorted(pathlib.Path(root).rglob("*.cs")):
        if "/bin/" in str(path) or "/obj/" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        new = TEST.sub(lambda m: m.group(1) + snake(m.group(2)) + m.group(3), text)
        if new != text:
            renamed += sum(1 for a, b in zip(TEST.findall(text), TEST.findall(new)) if a[1] != b[1])
            path.write_text(new, encoding="utf-8")
    print(f"renamed {renamed} test methods")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "tests"))
