"""The soak benchmark; see run-soak.sh."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "load"))
from common import ROOT, http_json, log, stop, wait_port, write_result  # noqa: E402

COLLECTOR_JAR = os.path.join(ROOT, "mintaro-collector", "target", "mintaro-collector.jar")
DEMO_JAR = os.path.join(ROOT, "mintaro-demo", "target", "mintaro-demo.jar")
PORT = 17170
KEY = "soak-key-0123456789"
JVM = ["-Xmx512m", "-XX:+UseG1GC"]


def jcmd(pid, *command):
    return subprocess.run(["jcmd", str(pid)] + list(command), capture_output=True, text=True, timeout=60).stdout


def heap_after_gc_bytes(pid):
    jcmd(pid, "GC.run")
    for line in jcmd(pid, "GC.heap_info").splitlines():
        # " garbage-first heap   total 262144K, used 48213K [0x..."
        if "used" in line and "total" in line:
            used = line.split("used")[1].split("K")[0].strip().rstrip(",")
            return int(used) * 1024
    raise RuntimeError("no heap figure from jcmd GC.heap_info for %d" % pid)


def histogram(pid):
    """Live bytes per class after a full GC: {class name: bytes}."""
    out = {}
    for line in jcmd(pid, "GC.class_histogram").splitlines():
        parts = line.split()
        # "   1:        123456      7890123  [B (java.base@17)"
        if len(parts) >= 4 and parts[0].endswith(":") and parts[0][:-1].isdigit():
            out[parts[3]] = out.get(parts[3], 0) + int(parts[2])
    return out


def growth_by_class(before, after, top=15):
    rows = [(after.get(k, 0) - before.get(k, 0), k) for k in set(before) | set(after)]
    rows.sort(reverse=True)
    return [{"class": k, "bytes": d} for d, k in rows[:top]]


def proc_status(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def sample_process(pid):
    return {"heap_after_gc_bytes": heap_after_gc_bytes(pid), "threads": proc_status(pid, "Threads"),
            "fds": fds(pid), "rss_bytes": proc_status(pid, "VmRSS") * 1024}


def api(path):
    return http_json("http://127.0.0.1:%d%s" % (PORT, path), headers={"Authorization": "Bearer " + KEY})


def latencies_since(since_ms):
    """Error-to-stored latency (ms) of error traces completed since since_ms."""
    page = api("/api/traces?status=error&limit=1000")
    out = []
    for t in page.get("traces", []):
        done, triggered = t.get("completedAtMs"), t.get("triggeredAtMs")
        if done is not None and triggered is not None and done >= since_ms:
            out.append(done - triggered)
    return sorted(out)


def slope_per_hour(xs_min, ys):
    n = len(xs_min)
    if n < 2:
        return None
    mx, my = sum(xs_min) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs_min)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs_min, ys)) / sxx * 60


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=int, default=30)
    p.add_argument("--rate", type=float, default=50)
    p.add_argument("--error-rate", type=float, default=0.02)
    p.add_argument("--build", action="store_true")
    a = p.parse_args()
    if a.build or not (os.path.exists(COLLECTOR_JAR) and os.path.exists(DEMO_JAR)):
        log("building the collector and demo jars (offline)")
        subprocess.run(["./mvnw", "-q", "-o", "-B", "package", "-DskipTests", "-pl", "mintaro-collector,mintaro-demo",
                        "-am"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="mintaro-soak-")
    db = os.path.join(work, "soak.db")
    env = dict(os.environ, MINTARO_DB=db, MINTARO_COLLECTOR_PORT=str(PORT), MINTARO_API_KEYS=KEY)
    collector = subprocess.Popen(["java"] + JVM + ["-jar", COLLECTOR_JAR], env=env, start_new_session=True,
                                 stdout=open(os.path.join(work, "collector.log"), "w"), stderr=subprocess.STDOUT)
    demo = None
    try:
        wait_port(PORT, collector)
        demo_env = dict(os.environ, MINTARO_DEMO_API_KEY=KEY)
        demo = subprocess.Popen(["java"] + JVM + ["-jar", DEMO_JAR, "--rate", str(a.rate), "--failure-rate",
                                 str(a.error_rate), "--slow-rate", "0", "--collector",
                                 "http://127.0.0.1:%d" % PORT], env=demo_env, start_new_session=True,
                                stdout=open(os.path.join(work, "demo.log"), "w"), stderr=subprocess.STDOUT)
        wait_port(8081, demo)
        log("soak: %d minutes at %.0f requests/s, %.0f%% errors; logs in %s" % (a.minutes, a.rate,
                                                                                a.error_rate * 100, work))
        started = time.time()
        samples = []
        histograms = {}
        for minute in range(1, a.minutes + 1):
            time.sleep(max(0, started + minute * 60 - time.time()))
            now_ms = int(time.time() * 1000)
            lat = latencies_since(now_ms - 60_000)
            s = {"minute": minute,
                 "services": sample_process(demo.pid),
                 "collector": sample_process(collector.pid),
                 "sqlite_bytes": sum(os.path.getsize(f) for f in (db, db + "-wal") if os.path.exists(f)),
                 "stored_traces": api("/api/traces?limit=1")["total"],
                 "error_to_stored_ms_p50": lat[len(lat) // 2] if lat else None,
                 "error_to_stored_ms_max": lat[-1] if lat else None,
                 "errors_completed_in_minute": len(lat)}
            samples.append(s)
            if minute == min(6, a.minutes) or minute == a.minutes:
                histograms[minute] = {"services": histogram(demo.pid), "collector": histogram(collector.pid)}
            log("minute %d: services heap %.1f MiB, %d threads, %d fds | collector heap %.1f MiB, %d threads, "
                "%d fds | db %.1f MiB, %d traces, latency p50 %s ms" % (
                    minute, s["services"]["heap_after_gc_bytes"] / 2**20, s["services"]["threads"],
                    s["services"]["fds"], s["collector"]["heap_after_gc_bytes"] / 2**20, s["collector"]["threads"],
                    s["collector"]["fds"], s["sqlite_bytes"] / 2**20, s["stored_traces"],
                    s["error_to_stored_ms_p50"]))
    finally:
        stop([demo, collector])

    steady = [s for s in samples if s["minute"] > 5] or samples
    xs = [s["minute"] for s in steady]
    growth = {}
    for proc in ("services", "collector"):
        for key in ("heap_after_gc_bytes", "threads", "fds", "rss_bytes"):
            growth["%s.%s" % (proc, key)] = slope_per_hour(xs, [s[proc][key] for s in steady])
    for key in ("sqlite_bytes", "stored_traces", "error_to_stored_ms_p50"):
        ys = [(s["minute"], s[key]) for s in steady if s[key] is not None]
        growth[key] = slope_per_hour([m for m, _ in ys], [y for _, y in ys])
    traces_per_hour = growth.get("stored_traces") or 0
    first, last = min(histograms), max(histograms)
    by_class = {proc: growth_by_class(histograms[first][proc], histograms[last][proc])
                for proc in ("services", "collector")}
    result = {"minutes": a.minutes, "rate": a.rate, "error_rate": a.error_rate, "samples": samples,
              "growth_per_hour": growth,
              "live_bytes_growth_by_class": {"from_minute": first, "to_minute": last, **by_class},
              "sqlite_bytes_per_stored_trace": (growth["sqlite_bytes"] / traces_per_hour) if traces_per_hour else None}
    path = write_result("soak", result)
    print("\nGrowth per hour (least squares over minutes %d-%d):" % (xs[0], xs[-1]))
    for k, v in growth.items():
        print("  %-36s %s" % (k, "n/a" if v is None else "%.1f" % v))
    for proc in ("services", "collector"):
        print("Largest growth of live bytes by class, %s, minute %d to %d:" % (proc, first, last))
        for row in by_class[proc][:8]:
            print("  %12d  %s" % (row["bytes"], row["class"]))
    print("Result: %s" % path)


if __name__ == "__main__":
    main()
