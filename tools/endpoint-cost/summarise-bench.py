#!/usr/bin/env python3
"""Summarise tools/endpoint-cost/bench-series.sh: transitions trained per second per round and arm, the within-round
ratios, and their geometric means with a two-standard-error interval. Usage: summarise-bench.py DIR [CSV]"""
import csv, glob, json, math, re, statistics as st, sys

root = sys.argv[1]
rows = {}
for path in glob.glob(f"{root}/r*-*/bench.json"):
    m = re.search(r"/r(\d+)-(\w+)/bench\.json$", path)
    rows[(int(m[1]), m[2])] = json.load(open(path))["Rows"][0]
rounds = sorted({r for r, _ in rows})
arms = ("off", "watched", "idle")

def tps(r, arm):
    return rows.get((r, arm), {}).get("TrainedTransitionsPerSecond")

def interval(name, ratios):
    if len(ratios) < 2:
        return
    logs = [math.log(v) for v in ratios]
    mean, se = st.mean(logs), st.stdev(logs) / math.sqrt(len(logs))
    print(f"- {name}: n = {len(ratios)}, median {st.median(ratios):.3f}, geometric mean {math.exp(mean):.3f} "
          f"(±2 SE: {math.exp(mean - 2 * se):.3f}-{math.exp(mean + 2 * se):.3f})")

complete = [r for r in rounds if all(tps(r, a) for a in arms)]
if len(complete) < 2:
    sys.exit(f"{root}: {len(complete)} complete round(s) of off / watched / idle; need 2 or more")
print("| round | off | watched | idle | watched / off | idle / off |")
print("|---|---:|---:|---:|---:|---:|")
for r in complete:
    o, w, i = (tps(r, a) for a in arms)
    print(f"| {r} | {o:,.0f} | {w:,.0f} | {i:,.0f} | {w / o:.3f} | {i / o:.3f} |")
print()
interval("watched / off", [tps(r, "watched") / tps(r, "off") for r in complete])
interval("idle / off", [tps(r, "idle") / tps(r, "off") for r in complete])
# The learner runs identically in idle and watched (only the benchmark's own client differs): their ratio is the noise.
interval("idle / watched (the same learner: the noise floor)", [tps(r, "idle") / tps(r, "watched") for r in complete])
interval("on (idle and watched pooled) / off", [math.sqrt(tps(r, "idle") * tps(r, "watched")) / tps(r, "off") for r in complete])
for a in arms:
    v = [tps(r, a) for r in complete]
    busy = [rows[(r, a)]["LearnerUtilisation"] for r in complete]
    print(f"- {a}: mean {st.mean(v):,.0f}, sd {st.stdev(v):,.0f} transitions/s; learner busy {min(busy):.1%}-{max(busy):.1%}")
if len(sys.argv) > 2:
    with open(sys.argv[2], "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "arm", "trained_transitions_per_s", "delivered_agent_steps_per_s", "learner_busy", "updates_per_min", "load_average"])
        for r in complete:
            for a in arms:
                d = rows[(r, a)]
                w.writerow([r, a, round(d["TrainedTransitionsPerSecond"], 1), round(d["DeliveredAgentStepsPerSecond"], 1),
                            round(d["LearnerUtilisation"], 4), round(d["UpdatesPerMinute"], 2), d["LoadAverage"]])
