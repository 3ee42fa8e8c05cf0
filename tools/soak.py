#!/usr/bin/env python3
"""
soak: a seeded, randomized campaign of the real client (build/spiflash)
against the real firmware in the emulator (build/spiflash-emu), under link
faults, unplugs and resets in the middle of an operation, and chip faults.

Every job draws from random.Random(seed) (seed = --seed + job number): an
operation (read, write, verify, erase, blank), an unaligned range, a line
rate, and a fault mix.  It runs the command, then checks the chip image and
the output file against what the command was asked to do:

  completed       exit code as expected (0, or 5 for a verify/blank whose
                  right answer is "different"/"not blank") and the chip and
                  file are right
  failed clean    non-zero exit with a "spiflash: " message
  failed unclean  a hang past the deadline, a crash, or no message
  silent          exit 0 (or the wrong verdict) but the chip or the output
                  file is wrong, or a failed read left an output file: MUST be 0
  out of range    bytes outside the requested range changed (any byte at all
                  for read, verify and blank): MUST be 0
  backup wrong    a backup file that does not hold the old bytes: MUST be 0

After a failure the same command runs again without faults (on a clean
emulator whose image file is rewritten with the failed job's chip): it must
finish the job ("recovered").  Every job prints its seed and the commands,
so `tools/soak.py --seed S -n 1 -v` replays one.

Emulators: one clean emulator per worker and chip is reused for fault-free
jobs and for recoveries (its image is mmap'd MAP_SHARED by the emulator, so
rewriting the file in place resets the chip); a job with faults gets its own.
"""
import argparse
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SF = "build/spiflash"
EMU = "build/spiflash-emu"
ELF = "build/spiflash.elf"
CHIPS = {"W25X10": 128 * 1024, "W25Q80": 1024 * 1024}
RATES = [None, 115200, 1000000, 2000000]
OPS = ["read", "write", "verify", "erase", "blank"]
DEADLINE = 90          # seconds for one client run
SECTOR = 4096


class Emu:
    """One spiflash-emu process; dev is the current pty path."""

    def __init__(self, tmp, chip, image, extra):
        self.args = [EMU, "--chip", chip, "--image", image] + extra + [ELF]
        self.err = open(os.path.join(tmp, "emu-%d.err" % id(self)), "w+")
        self.p = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.err)
        self.buf = b""
        self.dev = self.next_line(10)
        if not self.dev:
            self.stop()
            raise RuntimeError("emulator did not start: " + " ".join(self.args))

    def next_line(self, timeout):
        end = time.time() + timeout
        fd = self.p.stdout.fileno()
        while b"\n" not in self.buf:
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    return None
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode().strip()

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.err.close()


def rand_bytes(rng, n):
    return rng.getrandbits(8 * n).to_bytes(n, "little") if n else b""


def shq(a):
    return "'" + a.replace("'", "'\\''") + "'" if any(c in a for c in " '\"$") else a


class Job:
    def __init__(self, seed, args):
        rng = random.Random(seed)
        self.seed = seed
        self.chip = "W25Q80" if rng.random() < 0.15 else "W25X10"
        size = self.size = CHIPS[self.chip]
        self.op = rng.choice(OPS)
        self.rate = rng.choice(RATES) if args.rates else None
        self.image = bytearray(rand_bytes(rng, size))
        # ranges: unaligned offsets, short lengths; sometimes the whole
        # chip's end, sometimes starting at 0
        maxlen = 24 * 1024
        if self.op in ("read", "erase", "blank"):
            kib = rng.randint(1, maxlen // 1024)
            self.len = kib * 1024
        else:
            self.len = rng.randint(1, maxlen)
        r = rng.random()
        if r < 0.1:
            self.off = 0
        elif r < 0.2:
            self.off = size - self.len
        else:
            self.off = rng.randrange(0, size - self.len + 1)
        # a part of the range already erased, or already holding the data
        if self.op == "blank" and rng.random() < 0.6:
            self.image[self.off:self.off + self.len] = b"\xff" * self.len
        self.data = rand_bytes(rng, self.len)
        self.file_off = rng.randint(0, 700) if self.op in ("write", "verify") and rng.random() < 0.4 else 0
        if self.op == "verify" and rng.random() < 0.6:
            self.data = bytes(self.image[self.off:self.off + self.len])
        if self.op == "write" and rng.random() < 0.2:
            # half of it already there: the write must skip what it can
            h = self.len // 2
            self.image[self.off:self.off + h] = self.data[:h]
        self.prefix = rand_bytes(rng, self.file_off)
        self.backup = rng.choice(["default", "file", "none"]) if self.op in ("write", "erase") else None
        self.fault = self.pick_fault(rng, args)

    def traffic(self):
        return 600 + self.len * (2 if self.op == "write" else 1)

    def pick_fault(self, rng, args):
        kinds = ["none", "link", "unplug", "reset", "chip"]
        weights = [20, 25, 20, 15, 20] if not args.no_faults else [1, 0, 0, 0, 0]
        k = rng.choices(kinds, weights)[0]
        t = self.traffic()
        if k == "none":
            return ("none", [])
        if k == "link":
            spec = "seed=%d,flip=%d,drop=%d,dup=%d" % (self.seed, rng.randint(0, 3000),
                                                      rng.randint(0, 3000), rng.randint(0, 1000))
            if rng.random() < 0.3:
                spec += ",stall=%d,stall-ms=%d" % (rng.randint(10, 300), rng.randint(50, 1500))
            spec += ",dir=" + rng.choice(["to", "from", "both"])
            return ("link", ["--fault", spec])
        if k == "unplug":
            return ("unplug", ["--fault", "unplug-after=%d" % rng.randint(50, t), "--replug=100"])
        if k == "reset":
            return ("reset", ["--fault", "reset-after=%d" % rng.randint(50, t)])
        c = rng.choice(["stuck", "slow-erase", "miso", "protect"])
        if c == "stuck":
            cells = []
            for _ in range(rng.randint(1, 3)):
                a = self.off + rng.randrange(self.len)
                cells.append("stuck=0x%x:0x%02x" % (a, 1 << rng.randrange(8)))
            spec = ",".join(cells)
        elif c == "slow-erase":
            spec = "slow-erase=%d" % rng.randint(2, 20)
        elif c == "miso":
            spec = "miso-stuck-after=%d:%s" % (rng.randint(20, 3 * t), rng.choice(["0xff", "0"]))
        else:
            spec = "protect-after=%d" % rng.randint(1, 12)
        return ("chip:" + c, ["--chip-fault", spec])

    def command(self, dev, tmp):
        a = [SF, "-d", dev]
        if self.rate:
            a += ["--rate", str(self.rate)]
        if self.op in ("write", "verify"):
            a += ["-f", os.path.join(tmp, "src.bin"), "--flash-offset", "0x%x" % self.off]
            if self.file_off:
                a += ["--file-offset", str(self.file_off)]
        elif self.op == "read":
            a += ["-f", os.path.join(tmp, "out.bin"), "--flash-offset", "0x%x" % self.off,
                  "-l", str(self.len // 1024)]
        else:
            a += ["--flash-offset", "0x%x" % self.off, "-l", str(self.len // 1024)]
        if self.backup == "none":
            a += ["--no-backup"]
        elif self.backup == "file":
            a += ["--backup", os.path.join(tmp, "backup.bin")]
        return a + [self.op]

    def expected(self, before):
        """(chip after, exit code) the command must leave and give."""
        exp = bytearray(before)
        lo, hi = self.off, self.off + self.len
        if self.op == "write":
            exp[lo:hi] = self.data
        elif self.op == "erase":
            exp[lo:hi] = b"\xff" * self.len
        rc = 0
        if self.op == "verify" and bytes(before[lo:hi]) != self.data:
            rc = 5
        if self.op == "blank" and bytes(before[lo:hi]) != b"\xff" * self.len:
            rc = 5
        return exp, rc


def diff_outside(a, b, lo, hi):
    return sum(1 for i in range(len(a)) if (i < lo or i >= hi) and a[i] != b[i]) \
        if a != b else 0


def outside_changed(op, before, after, lo, hi):
    if op in ("read", "verify", "blank"):
        return sum(x != y for x, y in zip(before, after)) if before != after else 0
    if before[:lo] == after[:lo] and before[hi:] == after[hi:]:
        return 0
    return diff_outside(before, after, lo, hi)


def run(cmd, env, tmp, verbose):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=DEADLINE)
        rc, err = p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        rc, err = 124, (e.stderr or b"").decode(errors="replace") + "\n[timeout]"
    if verbose:
        print("  $ %s\n  -> exit %d in %.1f s: %s" % (" ".join(shq(x) for x in cmd), rc,
              time.time() - t0, err.strip().replace("\n", " | ")[:600]))
    return rc, err


def read_image(path, size):
    with open(path, "rb") as f:
        return bytearray(f.read(size))


def write_in_place(path, data):
    """Rewrite the image the emulator has mapped: same inode, no truncation."""
    with open(path, "r+b") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


class Worker:
    def __init__(self, wid, args, root):
        self.tmp = os.path.join(root, "w%d" % wid)
        os.makedirs(self.tmp)
        self.args = args
        self.clean = {}
        self.env = dict(os.environ, XDG_STATE_HOME=os.path.join(self.tmp, "state"))

    def clean_emu(self, chip):
        e = self.clean.get(chip)
        if e and e.p.poll() is not None:
            e.stop()
            e = None
        if not e:
            img = os.path.join(self.tmp, "clean-%s.bin" % chip)
            with open(img, "wb") as f:
                f.write(b"\xff" * CHIPS[chip])
            e = self.clean[chip] = Emu(self.tmp, chip, img, [])
            e.image = img
        return e

    def close(self):
        for e in self.clean.values():
            e.stop()

    def job(self, seed):
        args, tmp = self.args, self.tmp
        j = Job(seed, args)
        res = {"seed": seed, "op": j.op, "fault": j.fault[0], "rate": j.rate or 0,
               "notes": []}
        for f in os.listdir(tmp):
            if f == "out.bin" or f.startswith("backup.bin"):
                os.unlink(os.path.join(tmp, f))
        shutil.rmtree(os.path.join(tmp, "state"), ignore_errors=True)
        with open(os.path.join(tmp, "src.bin"), "wb") as f:
            f.write(j.prefix + j.data)
        before = bytes(j.image)
        exp, exp_rc = j.expected(before)
        lo, hi = j.off, j.off + j.len
        if j.fault[0] == "none":
            emu = self.clean_emu(j.chip)
            write_in_place(emu.image, before)
            img, own = emu.image, False
        else:
            img = os.path.join(tmp, "job.bin")
            with open(img, "wb") as f:
                f.write(before)
            emu, own = Emu(tmp, j.chip, img, j.fault[1]), True
        cmd = j.command(emu.dev, tmp)
        if args.verbose:
            print("job seed=%d chip=%s op=%s range=0x%x+%d rate=%s fault=%s %s" % (
                seed, j.chip, j.op, lo, j.len, j.rate, j.fault[0], " ".join(j.fault[1])))
        rc, err = run(cmd, self.env, tmp, args.verbose)
        if own:
            emu.stop()
        after = read_image(img, j.size)
        res["cmds"] = ["%s %s %s %s" % (EMU, "--chip " + j.chip, " ".join(shq(x) for x in j.fault[1]),
                                         ELF), " ".join(shq(x) for x in cmd)]
        res["rc"] = rc
        res["out_of_range"] = outside_changed(j.op, before, after, lo, hi)
        self.check_backup(j, before, err, res)
        ok = self.check(j, rc, exp_rc, exp, after, err, res)
        if ok:
            res["class"] = "completed"
            return res
        if res.get("silent"):
            res["class"] = "silent"
        elif rc in (1, 2, 3, 4, 5) and "spiflash: " in err:
            res["class"] = "failed-clean"
        else:
            res["class"] = "failed-unclean"
        res["err"] = err.strip()[-300:]
        # recovery: the same command without faults on the chip as it was left
        emu = self.clean_emu(j.chip)
        write_in_place(emu.image, after)
        cmd2 = j.command(emu.dev, tmp)
        rc2, err2 = run(cmd2, self.env, tmp, args.verbose)
        after2 = read_image(emu.image, j.size)
        res["cmds"].append("recovery: " + " ".join(shq(x) for x in cmd2))
        res["rec_out_of_range"] = outside_changed(j.op, before, after2, lo, hi)
        sub = {"notes": []}
        res["recovered"] = self.check(j, rc2, exp_rc, exp, after2, err2, sub) and \
            not res["rec_out_of_range"]
        if not res["recovered"]:
            res["rec_err"] = "exit %d: %s %s" % (rc2, err2.strip()[-300:], "; ".join(sub["notes"]))
        return res

    def check(self, j, rc, exp_rc, exp, after, err, res):
        """True when the command did its job; sets res['silent'] when it
        claimed to but did not."""
        lo, hi = j.off, j.off + j.len
        out = os.path.join(self.tmp, "out.bin")
        if rc == 0 and exp_rc == 5:
            res["silent"] = True
            res["notes"].append("exit 0 but the right answer was 5")
            return False
        if rc != exp_rc:
            if j.op == "read" and os.path.exists(out):
                res["silent"] = True
                res["notes"].append("failed read left an output file")
            return False
        if j.op in ("write", "erase") and bytes(after[lo:hi]) != bytes(exp[lo:hi]):
            res["silent"] = True
            bad = next(i for i in range(lo, hi) if after[i] != exp[i])
            res["notes"].append("exit %d but chip byte 0x%x is %02x, wanted %02x" %
                                (rc, bad, after[bad], exp[bad]))
            return False
        if j.op == "read":
            with open(out, "rb") as f:
                got = f.read()
            if got != bytes(exp[lo:hi]):
                res["silent"] = True
                bad = next((i for i in range(min(len(got), j.len)) if got[i] != exp[lo + i]),
                           min(len(got), j.len))
                res["notes"].append("read exit 0 but output differs at 0x%x (%d bytes)" %
                                    (lo + bad, len(got)))
                return False
        return True

    def check_backup(self, j, before, err, res):
        """A saved backup must hold the old bytes of its range."""
        for line in err.splitlines():
            if "saved the old 0x" not in line:
                continue
            a = line.split("saved the old ")[1]
            lo = int(a[:8], 16)
            hi = int(a[9:17], 16) + 1
            path = a.split(" in '")[1].split("'; to undo")[0]
            try:
                with open(path, "rb") as f:
                    got = f.read()
            except OSError as e:
                res["backup_wrong"] = "cannot read %s: %s" % (path, e)
                return
            if got != before[lo:hi]:
                res["backup_wrong"] = "%s differs from the old 0x%x-0x%x" % (path, lo, hi - 1)
            res["backups"] = res.get("backups", 0) + 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="jobs (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="first job's seed")
    ap.add_argument("-j", type=int, default=1, help="parallel workers")
    ap.add_argument("--no-faults", action="store_true")
    ap.add_argument("--no-rates", dest="rates", action="store_false",
                    help="always the default rate")
    ap.add_argument("--table", help="also write the table (markdown) here")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    for f in (SF, EMU, ELF):
        if not os.path.exists(f):
            sys.exit("soak: %s not built: run make" % f)
    root = tempfile.mkdtemp(prefix="soak-")
    seeds = list(range(args.seed, args.seed + args.n))
    results, lock = [], threading.Lock()
    t0 = time.time()
    stop = threading.Event()
    # SIGTERM/SIGINT: finish the jobs under way, then print the table so far
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())

    def work(wid):
        w = Worker(wid, args, root)
        try:
            while True:
                with lock:
                    if not seeds or stop.is_set():
                        return
                    s = seeds.pop(0)
                try:
                    r = w.job(s)
                except Exception as e:        # the harness itself: report, go on
                    import traceback
                    r = {"seed": s, "class": "harness-error",
                         "err": repr(e) + " " + traceback.format_exc().replace("\n", " | "), "op": "?",
                         "fault": "?", "rate": 0, "notes": [], "cmds": []}
                with lock:
                    results.append(r)
                    show(r, len(results), args)
                    if len(results) % 50 == 0:
                        print("-- %d jobs in %.0f s: %s" % (len(results), time.time() - t0, ", ".join(
                            "%s %d" % (c, sum(1 for x in results if x["class"] == c))
                            for c in ("completed", "failed-clean", "failed-unclean", "silent"))))
                        sys.stdout.flush()
        finally:
            w.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(args.j)]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.5)
    shutil.rmtree(root, ignore_errors=True)
    ok = report(results, time.time() - t0, args)
    sys.exit(0 if ok else 1)


def show(r, k, args):
    bad = r["class"] in ("silent", "failed-unclean", "harness-error") or r.get("out_of_range") \
        or r.get("rec_out_of_range") or r.get("backup_wrong") or \
        (r["class"] != "completed" and not r.get("recovered"))
    if r["class"] == "completed" and not bad and not args.verbose:
        return
    print("job %d seed=%d %s fault=%s rate=%s: %s exit %s%s%s" % (
        k, r["seed"], r["op"], r["fault"], r["rate"] or "default", r["class"], r.get("rc"),
        "" if r["class"] == "completed" else
        (" recovered" if r.get("recovered") else " NOT RECOVERED: " + r.get("rec_err", "")),
        " [" + "; ".join(r["notes"]) + "]" if r["notes"] else ""))
    if r.get("err") and (bad or args.verbose):
        print("  stderr: " + r["err"].replace("\n", " | ")[:300])
    if r.get("out_of_range") or r.get("rec_out_of_range"):
        print("  OUT OF RANGE: %d bytes after the job, %d after recovery" %
              (r.get("out_of_range", 0), r.get("rec_out_of_range", 0)))
    if r.get("backup_wrong"):
        print("  BACKUP WRONG: " + r["backup_wrong"])
    if bad or args.verbose:
        for c in r["cmds"]:
            print("  " + c)
    sys.stdout.flush()


def report(results, secs, args):
    n = len(results)
    cnt = lambda c: sum(1 for r in results if r["class"] == c)
    failed = [r for r in results if r["class"] not in ("completed",)]
    rec = sum(1 for r in failed if r.get("recovered"))
    oor = sum(1 for r in results if r.get("out_of_range"))
    oor_rec = sum(1 for r in results if r.get("rec_out_of_range"))
    bw = sum(1 for r in results if r.get("backup_wrong"))
    backups = sum(r.get("backups", 0) for r in results)
    rows = [
        ("jobs", n),
        ("completed", cnt("completed")),
        ("failed with a clear error (exit 1-5 + message)", cnt("failed-clean")),
        ("failed unclean (hang, crash, no message)", cnt("failed-unclean")),
        ("harness errors", cnt("harness-error")),
        ("silent corruptions (MUST be 0)", cnt("silent")),
        ("jobs that changed bytes outside their range, before recovery", oor),
        ("jobs with bytes outside their range changed after recovery (MUST be 0)", oor_rec),
        ("recoveries: failed jobs finished by the same command without faults",
         "%d of %d" % (rec, len(failed))),
        ("backups saved / wrong (MUST be 0)", "%d / %d" % (backups, bw)),
        ("seconds", "%.0f" % secs),
    ]
    lines = ["| soak (seeds %d-%d%s) | |" % (args.seed, args.seed + args.n - 1,
             ", stopped after %d" % n if n < args.n else ""), "|---|---|"]
    lines += ["| %s | %s |" % r for r in rows]
    by = {}
    for r in results:
        k = (r["fault"], r["class"])
        by[k] = by.get(k, 0) + 1
    lines += ["", "| fault | completed | failed clean | failed unclean | silent |", "|---|---|---|---|---|"]
    for f in sorted(set(r["fault"] for r in results)):
        lines.append("| %s | %d | %d | %d | %d |" % (f, by.get((f, "completed"), 0),
                     by.get((f, "failed-clean"), 0), by.get((f, "failed-unclean"), 0),
                     by.get((f, "silent"), 0)))
    lines += ["", "| rate | completed | failed clean | failed unclean | silent |", "|---|---|---|---|---|"]
    for rate in sorted(set(r["rate"] for r in results)):
        sel = [r for r in results if r["rate"] == rate]
        lines.append("| %s | %d | %d | %d | %d |" % (rate or "default", *[
            sum(1 for r in sel if r["class"] == c) for c in
            ("completed", "failed-clean", "failed-unclean", "silent")]))
    text = "\n".join(lines)
    print(text)
    if args.table:
        with open(args.table, "w") as f:
            f.write(text + "\n")
    good = cnt("silent") == 0 and oor_rec == 0 and bw == 0 and cnt("harness-error") == 0 \
        and cnt("failed-unclean") == 0 and rec == len(failed)
    # one line for tests/run_tests.sh: a job passes when it met every MUST
    bad = sum(1 for r in results if r["class"] in ("silent", "failed-unclean", "harness-error")
              or r.get("rec_out_of_range") or r.get("backup_wrong")
              or (r["class"] != "completed" and not r.get("recovered")))
    print("%d passed, %d failed" % (n - bad, bad))
    return good


if __name__ == "__main__":
    main()
