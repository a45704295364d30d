"""Print the median of each command in hyperfine JSON exports: python3 medians.py FILE..."""
import json
import sys

for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        print(f"median {r['median'] * 1000:8.2f} ms  mean {r['mean'] * 1000:8.2f} ms  {r['command']}")
