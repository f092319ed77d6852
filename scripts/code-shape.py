#!/usr/bin/env python3
"""The house rules of issue 13, measured: files over 350 lines, functions over 80 lines,
and World.swift over 200 lines. Prints what breaks them; exits 1 if anything does.

    scripts/code-shape.py [Sources]
"""
import re, sys, pathlib

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Sources")
FILE_MAX, FUNC_MAX, WORLD_MAX = 350, 80, 200
decl = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|mutating|override|final|nonisolated|@inlinable|@inline\(__always\))\s+)*(func\s+\S+|init[?!]?\s*[(<]|var\s+\w+\s*:[^=]*\{\s*$)')
problems = []
for path in sorted(root.rglob("*.swift")):
    lines = path.read_text().split("\n")
    limit = WORLD_MAX if path.name == "World.swift" else FILE_MAX
    if len(lines) > limit:
        problems.append(f"{path}: {len(lines)} lines (at most {limit})")
    i = 0
    while i < len(lines):
        m = decl.match(lines[i])
        if not m or "{" not in "".join(lines[i:i + 8]):
            i += 1
            continue
        depth, started, j = 0, False, i
        while j < len(lines):
            code = re.sub(r'"(?:\\.|[^"\\])*"', '""', lines[j].split("//")[0])
            depth += code.count("{") - code.count("}")
            started = started or "{" in code
            if started and depth <= 0:
                break
            j += 1
        length = j - i + 1
        if length > FUNC_MAX:
            problems.append(f"{path}:{i + 1}: {m.group(1).strip()} is {length} lines (at most {FUNC_MAX})")
        i += 1
for p in problems:
    print(p)
print(f"{len(problems)} places break the house rules" if problems else "house rules hold")
sys.exit(1 if problems else 0)
