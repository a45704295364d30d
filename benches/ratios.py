"""Same-run ratios over rounds: python3 ratios.py NUM_NAME DEN_NAME FILE...

Each FILE is one round's hyperfine JSON export holding both commands (by their -n names). On a
shared virtual machine a slow spell can last a whole hyperfine benchmark and land on one
command only; the rounds alternate the two, and the ratio of each round is of medians measured
minutes apart at most. Prints each round's medians and ratio, then the median ratio."""
import json
import statistics
import sys

num, den, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
ratios = []
for i, path in enumerate(paths, 1):
    med = {r["command"]: r["median"] for r in json.load(open(path))["results"]}
    a, b = med[num], med[den]
    ratios.append(a / b)
    print(f"round {i}: {num} {a * 1000:.1f} ms, {den} {b * 1000:.1f} ms, ratio {a / b:.2f}")
print(f"median ratio over {len(ratios)} rounds: {statistics.median(ratios):.2f}")
