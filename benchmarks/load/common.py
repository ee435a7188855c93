"""Shared helpers of run-load.sh and run-capture.sh: building, JMH courtesy wait, processes."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.path.join(ROOT, "mintaro-loadtest", "target", "mintaro-loadtest.jar")
RESULTS = os.path.join(ROOT, "benchmarks", "results")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(*args):
    print("[%s]" % time.strftime("%H:%M:%S"), *args, flush=True)


def build(force=False):
    if force or not os.path.exists(JAR):
        log("building mintaro-loadtest (offline)")
        subprocess.run(["./mvnw", "-q", "-o", "install", "-DskipTests", "-pl", "mintaro-loadtest", "-am"],
                       cwd=ROOT, check=True)


def wait_for_quiet_machine(max_wait_s, poll_s=30):
    """Waits while another engineer's JMH run (benchmarks.jar) is running. Returns True if quiet."""
    start = time.time()
    while True:
        busy = subprocess.run(["pgrep", "-f", "benchmarks.jar"], capture_output=True, text=True).stdout.split()
        busy = [p for p in busy if int(p) != os.getpid()]
        if not busy:
            return True
        if time.time() - start >= max_wait_s:
            log("benchmarks.jar still running after %d s; measuring anyway (results flagged)" % max_wait_s)
            return False
        log("benchmarks.jar is running (pids %s); waiting %d s" % (" ".join(busy), poll_s))
        time.sleep(poll_s)


def jmh_running():
    return bool(subprocess.run(["pgrep", "-f", "benchmarks.jar"], capture_output=True, text=True).stdout.split())


def start_java(args, jvm_flags, env=None, logfile=None, jar=JAR):
    e = dict(os.environ)
    if env:
        e.update(env)
    out = open(logfile, "w") if logfile else subprocess.DEVNULL
    return subprocess.Popen(["java"] + jvm_flags + ["-jar", jar] + args, env=e, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)


def build_at(rev, workdir):
    """Builds mintaro-loadtest's jar from the sources at git revision rev; returns the jar's path."""
    tree = os.path.join(workdir, "baseline")
    subprocess.run(["git", "worktree", "add", "-q", "--detach", tree, rev], cwd=ROOT, check=True)
    try:
        log("building mintaro-loadtest at %s (offline)" % rev)
        # package, not install: the local repository keeps the working tree's artifacts
        subprocess.run(["./mvnw", "-q", "-o", "package", "-DskipTests", "-pl", "mintaro-loadtest", "-am"],
                       cwd=tree, check=True)
        jar = os.path.join(workdir, "baseline.jar")
        shutil.copy(os.path.join(tree, "mintaro-loadtest", "target", "mintaro-loadtest.jar"), jar)
        return jar
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT)


def wait_port(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("process %d exited with %s" % (proc.pid, proc.returncode))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("port %d did not open" % port)


def stop(procs):
    for p in procs:
        if p is not None and p.poll() is None:
            p.terminate()
    for p in procs:
        if p is None:
            continue
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime is field 14, stime field 15
    return int(fields[11]) + int(fields[12])


def http_json(url, method="GET", headers=None):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    if method == "POST":
        req.data = b""
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


def write_result(prefix, data):
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, "%s-%s.json" % (prefix, time.strftime("%Y%m%d-%H%M%S")))
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    return path


def build_info():
    """What was measured: the commit, whether the SDK sources differ from it, and the jar's build time."""
    def git(*a):
        return subprocess.run(["git"] + list(a), cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--short", "--", "mintaro-core", "mintaro-servlet", "mintaro-logback",
                "mintaro-httpclient", "mintaro-collector", "mintaro-demo")
    return {"commit": git("rev-parse", "HEAD"), "sdk_sources_modified_vs_commit": dirty.splitlines(),
            "jar_built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(os.path.getmtime(JAR)))}
