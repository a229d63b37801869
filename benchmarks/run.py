"""Benchmark stagematch against its peers, and measure how it scales.

One command runs everything (see ``benchmarks/README.md``)::

    python -m benchmarks.run [--sizes region,four,national] [--out benchmarks/results]
                             [--skip-peers networkx,highs,...] [--scaling auto|none|5000,10000,...]

Every measured run is a fresh ``python -m benchmarks.run --one TASK`` process,
so its peak memory (``ru_maxrss``) is its own. Instances are generated once
(not timed) and cached as Parquet under ``<out>/instances/``; the timed run
reads them back. Results go to ``<out>/latest.json``, ``<out>/latest.md`` and
``<out>/scaling.png``; with the default ``--out`` the tables are also copied
into ``benchmarks/README.md`` between its ``latest`` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "results"
README = REPO / "benchmarks" / "README.md"
README_START, README_END = "<!-- latest:start -->", "<!-- latest:end -->"

STAGES = ("read", "problem", "candidates", "build", "split", "solve", "result", "write")
JOBS = 2
# Contiguous labour-market regions (Groot Amsterdam, Gooi en Vechtstreek,
# Midden-Utrecht, Amersfoort): students living near a border reach places
# across it, as they do in practice.
FOUR_REGIONS = ("AM18", "AM12", "AM13", "AM14")
FOUR_REGION_STUDENTS = 40_000
SCALING_STUDENTS = (5_000, 10_000, 25_000, 50_000, 100_000, 250_000)
# The national preset places more students in the same country: 500,000 students is its "×2" density
# (twice the students and vacancies per PC4 of the 250,000-student national instance), 1,000,000 "×4".
NATIONAL_STUDENTS = 250_000
REMEDY_TASK = "stagematch-remedies"

STAGEMATCH_TASKS = {"stagematch": False, "stagematch-compare": True}  # task -> compare_unweighted
PEER_TASKS = {
    # short name (for --skip-peers) -> (task, function in benchmarks.peers, label)
    "ortools": ("ortools-single-graph", "ortools_single_graph", "OR-Tools, one graph (solver calls only)"),
    "highs": ("highs-lp", "highs_lp", "HiGHS LP (scipy linprog, two stages)"),
    "networkx": ("networkx-simplex", "networkx_simplex", "networkx network_simplex (hub min-cost)"),
    "greedy": ("greedy", "greedy_first_come", "greedy first come, first served"),
}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Instances ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InstanceSpec:
    """A benchmark instance: generator arguments of one or more parts, merged."""

    key: str
    label: str
    name: str
    parts: tuple[dict, ...]

    @property
    def students(self) -> int:
        """Number of students."""
        return sum(part["students"] for part in self.parts)


def _address_split(total: int, regions: tuple[str, ...]) -> list[int]:
    """``total`` students split over ``regions`` by their share of addresses (largest remainder)."""
    from matcher.geo.tables import pc4_table

    by_region = pc4_table().groupby("amr_code_approx")["n_pc6"].sum()
    share = by_region.reindex(list(regions)).to_numpy(dtype=float)
    exact = total * share / share.sum()
    counts = np.floor(exact).astype(int)
    counts[np.argsort(-(exact - counts), kind="stable")[: total - counts.sum()]] += 1
    return counts.tolist()


def size_specs() -> dict[str, InstanceSpec]:
    """The three benchmark sizes."""
    four = tuple(
        {"region": region, "students": n, "seed": 1}
        for region, n in zip(FOUR_REGIONS, _address_split(FOUR_REGION_STUDENTS, FOUR_REGIONS))
    )
    return {
        "region": InstanceSpec("region", "one region (AM13 Midden-Utrecht)", "AM13-5000-s1",
                               ({"region": "AM13", "students": 5_000, "seed": 1},)),
        "four": InstanceSpec("four", "four regions (AM18, AM12, AM13, AM14)", "four-regions-40000-s1", four),
        "national": scaling_spec(250_000, key="national", label="national (35 regions)"),
    }


def scaling_spec(students: int, key: str | None = None, label: str | None = None) -> InstanceSpec:
    """The national preset with ``students`` students, seed 1."""
    return InstanceSpec(key or f"scaling-{students}", label or f"national preset, {students:,} students",
                        f"national-{students}-s1",
                        ({"preset": "national", "students": students, "seed": 1},))


def merge_instances(instances: list, name: str):
    """One instance holding every table of ``instances`` (ids must not collide)."""
    from models import Instance

    def union(field: str) -> tuple:
        return tuple(row for instance in instances for row in getattr(instance, field))

    ids = [s.student_id for s in union("students")] + [v.vacancy_id for v in union("vacancies")]
    if len(ids) != len(set(ids)):
        raise ValueError("student or vacancy ids collide between the merged instances")
    periods = {instance.periods for instance in instances}
    if len(periods) != 1:
        raise ValueError("the merged instances name different periods")
    return Instance(
        name=name, students=union("students"), vacancies=union("vacancies"),
        supervisors=union("supervisors"), companies=union("companies"), periods=periods.pop(),
        equivalences=tuple(dict.fromkeys(union("equivalences"))),
        travel_times=union("travel_times"),
    )


def ensure_instance(spec: InstanceSpec, cache: Path) -> Path:
    """The Parquet folder of ``spec``, generated (untimed) unless already cached."""
    folder = cache / spec.name
    stamp = folder / "generator.json"
    wanted = {"parts": list(spec.parts), "format": "parquet"}
    if stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        return folder
    from matcher.generator.synth import generate_instance
    from matcher.io import write_instance

    _log(f"  generating {spec.name} (not timed) ...")
    start = time.perf_counter()
    generated = [generate_instance(**part) for part in spec.parts]
    instance = generated[0] if len(generated) == 1 else merge_instances(generated, spec.name)
    folder.parent.mkdir(parents=True, exist_ok=True)
    write_instance(instance, folder, fmt="parquet", overwrite=True)
    stamp.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    _log(f"  generated in {time.perf_counter() - start:.1f} s")
    return folder


# --- One measured run (in its own process) -------------------------------------------------


def _peak_mib() -> float:
    """Largest resident set of this process or any process it waited for (MiB).

    This process's own peak is VmHWM of its address space: ``ru_maxrss`` of
    RUSAGE_SELF would also count the benchmark driver's resident set at the
    moment it forked this process (Linux keeps it across exec).
    """
    own = 0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1])  # KiB
    except OSError:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the solver's forked workers
    return round(max(own, children) / 1024, 1)  # Linux reports KiB


def measure_stagematch(instance_dir: Path, compare_unweighted: bool, jobs: int) -> dict:
    """Read, solve and write like ``stagematch match``; time every stage."""
    from matcher.engine.solve import solve
    from matcher.io import read_instance
    from models import Policy

    start = time.perf_counter()
    instance = read_instance(instance_dir)
    read = time.perf_counter() - start
    policy = Policy(compare_unweighted=compare_unweighted)
    result = solve(instance, policy, certificate=True, jobs=jobs)
    with tempfile.TemporaryDirectory(prefix="stagematch-bench-") as out:
        write_start = time.perf_counter()
        result.write(Path(out) / "result")
        write = time.perf_counter() - write_start
    total = time.perf_counter() - start
    timings = {"read": read, **result.timings, "write": write}
    summary = result.summary
    tier = summary["counts"]["by_tier"].get("priority", {"placed": 0})
    return {
        "stages": {stage: round(timings.get(stage, 0.0), 3) for stage in STAGES},
        "total_seconds": round(total, 3),
        "students": summary["counts"]["students"],
        "vacancies": summary["counts"]["vacancies"],
        "network": summary["network"],
        "weighted_placed": result.weighted_placed,
        "secondary_cost": result.secondary_cost,
        "proven_optimal": summary["proof"]["proven_optimal"],
        "placed": result.n_placed,
        "priority_placed": int(tier["placed"]),
        "mean_travel_min": round(float(result.placements["travel_min"].mean()), 2) if result.n_placed else None,
        "jobs": jobs,
        "compare_unweighted": compare_unweighted,
        "placed_without_priority": summary["price_of_priority"]["placed_without_priority"],
    }


def measure_remedies(instance_dir: Path, jobs: int) -> dict:
    """``stagematch match --remedies`` as the command runs it (read, solve, remedies, write, check)."""
    from matcher.app.pipelines import match

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stagematch-bench-") as out:
        run = match(instance_dir, Path(out) / "result", remedies=True, jobs=jobs)
    timings = run.result.timings
    return {"total_seconds": round(time.perf_counter() - start, 3),
            "remedies_seconds": round(timings["remedies"], 3),
            "unplaced": len(run.result.unplaced), "students": run.result.summary["counts"]["students"]}


def measure_peer(function_name: str, instance_dir: Path) -> dict:
    """Read the instance, build the engine's problem and candidates, run one peer."""
    from benchmarks import peers
    from matcher.engine.candidates import generate_candidates
    from matcher.engine.problem import build_problem
    from matcher.io import read_instance
    from models import Policy

    start = time.perf_counter()
    policy = Policy()
    problem = build_problem(read_instance(instance_dir), policy)
    candidates = generate_candidates(problem, policy)
    prepare = time.perf_counter() - start
    figures = getattr(peers, function_name)(problem, candidates, policy)
    return {**figures, "prepare_seconds": round(prepare, 3)}


def run_one(task: str, instance_dir: Path, result_file: Path, jobs: int) -> None:
    """Child-process entry: measure ``task`` and write its figures as JSON."""
    if task in STAGEMATCH_TASKS:
        figures = measure_stagematch(instance_dir, STAGEMATCH_TASKS[task], jobs)
    elif task == REMEDY_TASK:
        figures = measure_remedies(instance_dir, jobs)
    else:
        function = {t: f for t, f, _ in PEER_TASKS.values()}[task]
        figures = measure_peer(function, instance_dir)
    figures["peak_mib"] = _peak_mib()
    result_file.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def run_child(task: str, instance_dir: Path, jobs: int, timeout: float | None = None) -> dict:
    """Run ``task`` in a fresh process; its figures, or ``{"error"| "timeout": ...}``."""
    with tempfile.TemporaryDirectory(prefix="stagematch-bench-") as tmp:
        result_file = Path(tmp) / "figures.json"
        command = [sys.executable, "-m", "benchmarks.run", "--one", task, "--instance", str(instance_dir),
                   "--result-file", str(result_file), "--jobs", str(jobs)]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
        wall = round(time.perf_counter() - start, 3)
        if done.returncode != 0 or not result_file.is_file():
            return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]}
        figures = json.loads(result_file.read_text(encoding="utf-8"))
        figures["process_wall_seconds"] = wall
        return figures


# --- The benchmark --------------------------------------------------------------------------


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def _same_objective(peer: dict, reference: dict) -> bool | None:
    if peer.get("weighted_placed") is None or peer.get("secondary_cost") is None:
        return None
    return peer["weighted_placed"] == reference["weighted_placed"] and \
        peer["secondary_cost"] == reference["secondary_cost"]


def bench_size(spec: InstanceSpec, args: argparse.Namespace, history: dict) -> dict:
    """Measure stagematch (both policies) and every peer on one instance."""
    _log(f"[{spec.key}] {spec.label}: {spec.students:,} students")
    folder = ensure_instance(spec, args.out / "instances")
    runs = {}
    for task in STAGEMATCH_TASKS:
        _log(f"  {task} ...")
        runs[task] = run_child(task, folder, args.jobs)
        if "error" in runs[task]:
            raise RuntimeError(f"{task} failed on {spec.name}: {runs[task]['error']}")
        _log(f"    total {runs[task]['total_seconds']:.2f} s, peak {runs[task]['peak_mib']:.0f} MiB")
    reference, compare = runs["stagematch"], runs["stagematch-compare"]
    candidate_arcs = reference["network"]["candidate_arcs"]
    arcs = reference["network"]["arcs"]

    peers = {}
    for short, (task, _, label) in PEER_TASKS.items():
        if short in args.skip_peers:
            continue
        skipped = None
        timeout = None
        if short == "highs":
            timeout = args.lp_timeout
            if candidate_arcs > args.lp_max_arcs:
                skipped = (f"skipped ({candidate_arcs:,} candidate arcs > --lp-max-arcs {args.lp_max_arcs:,}: "
                           f"HiGHS needs about 4.7x the memory of OR-Tools)")
        if short == "networkx":
            timeout = args.networkx_timeout
            skipped = _networkx_skip(arcs, args, history)
        if skipped:
            _log(f"  {task}: {skipped}")
            peers[short] = {"label": label, "skipped": skipped}
            continue
        _log(f"  {task} ...")
        figures = run_child(task, folder, args.jobs, timeout)
        figures["label"] = label
        if "timeout" in figures:
            figures["skipped"] = f"did not finish in {timeout / 60:g} min"
            if short == "networkx":
                history.setdefault("networkx_timeouts", []).append(arcs)
        elif "error" in figures:
            figures["skipped"] = f"failed: {figures['error'][0]}"
        else:
            figures["ratio_to_stagematch"] = _ratio(figures["seconds"], reference["total_seconds"])
            figures["ratio_to_stagematch_compare"] = _ratio(figures["seconds"], compare["total_seconds"])
            if short != "greedy":
                figures["same_objective"] = _same_objective(figures, reference)
            if short == "ortools":
                history.setdefault("ortools_seconds", {})[arcs] = figures["seconds"]
            if short == "networkx":
                history.setdefault("networkx_seconds", {})[arcs] = figures["seconds"]
        _log("    " + (figures.get("skipped") or f"{figures['seconds']:.2f} s"))
        peers[short] = figures

    if "greedy" in peers and "seconds" in peers["greedy"]:
        greedy = peers["greedy"]
        greedy["fewer_placed"] = reference["placed"] - greedy["placed"]
        greedy["fewer_priority_placed"] = reference["priority_placed"] - greedy["priority_placed"]
        if greedy["mean_travel_min"] is not None and reference["mean_travel_min"] is not None:
            greedy["mean_travel_difference_min"] = round(greedy["mean_travel_min"] - reference["mean_travel_min"], 2)
    return {"label": spec.label, "instance": spec.name, "generator": list(spec.parts),
            "stagematch": reference, "stagematch_compare": compare, "peers": peers}


def _networkx_skip(arcs: int, args: argparse.Namespace, history: dict) -> str | None:
    """Why networkx is not started on a network of ``arcs`` arcs, or None."""
    timeouts = history.get("networkx_timeouts", [])
    if timeouts and min(timeouts) <= arcs:
        return f"skipped ({arcs:,} arcs; already did not finish in time at {min(timeouts):,} arcs)"
    if arcs <= args.networkx_max_arcs:
        return None
    finished = history.get("networkx_seconds", {})
    ortools = history.get("ortools_seconds", {})
    common = [a for a in finished if a in ortools]
    if not common or arcs not in ortools:
        return f"skipped ({arcs:,} arcs > --networkx-max-arcs {args.networkx_max_arcs:,})"
    # The networkx/OR-Tools time ratio at the largest finished size, applied to
    # OR-Tools' single-graph time on this network.
    largest = max(common)
    estimate = finished[largest] / ortools[largest] * ortools[arcs]
    return (f"skipped ({arcs:,} arcs; extrapolated ≈ {estimate / 60:.0f} min from the "
            f"{largest:,}-arc run at the same ratio to OR-Tools)")


def fit_exponent(x: list[float], y: list[float]) -> float | None:
    """Slope of log y against log x (least squares), or None with fewer than two points."""
    if len(x) < 2:
        return None
    return round(float(np.polyfit(np.log(x), np.log(y), 1)[0]), 2)


def density_label(students: int) -> str:
    """The national preset's density at ``students``: "national ×2" at twice the national instance."""
    factor = students / NATIONAL_STUDENTS
    return f"national ×{factor:g}" if factor > 1 else ""


def bench_scaling(students: list[int], args: argparse.Namespace, measured: dict) -> dict:
    """stagematch (default policy) on the national preset at each number of students, and ``match --remedies``
    up to ``args.scaling_remedies`` students.

    A point the engine refuses (too large for this machine's memory: it says so before building) is kept
    with its message and left out of the fits.
    """
    points = []
    for n in students:
        spec = scaling_spec(n)
        point: dict = {"students": n, "density": density_label(n)}
        if spec.name in measured:
            figures = measured[spec.name]
        else:
            _log(f"[scaling] {n:,} students ...")
            figures = run_child("stagematch", ensure_instance(spec, args.out / "instances"), args.jobs)
        if "error" in figures:
            point["refused"] = _error_text(figures["error"])
            _log(f"    refused: {point['refused']}")
            points.append(point)
            continue
        point.update({"arcs": figures["network"]["arcs"], "total_seconds": figures["total_seconds"],
                      "solve_seconds": figures["stages"]["solve"], "peak_mib": figures["peak_mib"]})
        _log(f"    match {figures['total_seconds']:.2f} s, peak {figures['peak_mib']:.0f} MiB")
        if n <= args.scaling_remedies:
            remedies = run_child(REMEDY_TASK, ensure_instance(spec, args.out / "instances"), args.jobs,
                                 timeout=args.remedies_timeout)
            if "remedies_seconds" in remedies:
                point.update({"remedies_seconds": remedies["remedies_seconds"],
                              "remedies_total_seconds": remedies["total_seconds"],
                              "remedies_peak_mib": remedies["peak_mib"], "unplaced": remedies["unplaced"]})
                _log(f"    remedies {remedies['remedies_seconds']:.1f} s for {remedies['unplaced']:,} unplaced")
            elif "timeout" in remedies:
                point["remedies_failed"] = f"did not finish in {remedies['timeout']:.0f} s"
            else:
                point["remedies_failed"] = _error_text(remedies["error"])
        points.append(point)
    return {"points": points, **scaling_fits(points)}


def _error_text(lines: list[str]) -> str:
    """A child's last stderr line without the exception's class name."""
    text = " ".join(lines)
    return text.split(": ", 1)[1] if text.split(": ", 1)[0].endswith("Error") else text


def scaling_fits(points: list[dict]) -> dict:
    """The fitted exponents of the measured points: match time and memory, remedies' time and memory."""
    def fit(field: str) -> float | None:
        have = [p for p in points if p.get(field) is not None]
        return fit_exponent([p["students"] for p in have], [p[field] for p in have])

    return {"time_exponent": fit("total_seconds"), "memory_exponent": fit("peak_mib"),
            "remedies_time_exponent": fit("remedies_seconds"), "remedies_memory_exponent": fit("remedies_peak_mib")}


SCALING_SERIES = (  # panel, field, its exponent in scaling_fits, label
    (0, "total_seconds", "time_exponent", "match, read to write"),
    (0, "remedies_seconds", "remedies_time_exponent", "remedies (what --remedies adds)"),
    (1, "peak_mib", "memory_exponent", "match"),
    (1, "remedies_peak_mib", "remedies_memory_exponent", "match --remedies"),
)


def plot_scaling(scaling: dict, path: Path) -> None:
    """Log-log plot of time and peak memory against students, match and remedies, with their fits."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = scaling["points"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for panel, field, exponent_key, label in SCALING_SERIES:
        have = [p for p in points if p.get(field) is not None]
        if not have:
            continue
        ax = axes[panel]
        n = np.array([p["students"] for p in have], dtype=float)
        y = np.array([p[field] for p in have], dtype=float)
        line, = ax.loglog(n, y, "o-", label=label)
        exponent = scaling.get(exponent_key)
        if exponent is not None:
            slope, intercept = np.polyfit(np.log(n), np.log(y), 1)
            ax.loglog(n, np.exp(intercept) * n ** slope, "--", color=line.get_color(),
                      label=f"fit: ∝ students^{exponent:.2f}")
    refused = [p["students"] for p in points if "refused" in p]
    for ax, (title, unit) in zip(axes, (("time", "seconds"), ("peak memory (largest process)", "MiB"))):
        for n in refused:
            ax.axvline(n, color="grey", linestyle=":", label=f"{n:,}: refused (memory)")
        ax.axvline(NATIONAL_STUDENTS, color="black", alpha=0.2, linewidth=4, label="national instance")
        ax.set_xlabel("students (national preset; above 250,000 a denser country)")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _local_exponent(before: tuple[int, float] | None, now: tuple[int, float | None]) -> str:
    """" (S^k)" between two measured points, or nothing without both."""
    if before is None or now[1] is None:
        return ""
    k = fit_exponent([before[0], now[0]], [before[1], now[1]])
    return f" (S^{k:.2f})"


def render_scaling(scaling: dict) -> list[str]:
    """The scaling section of the report (markdown lines)."""
    lines = ["", "### Scaling (national preset, seed 1, default policy)", "",
             "Above 250,000 students the same country holds more students and vacancies: 500,000 is the national "
             "instance's density ×2, 1,000,000 ×4. \"remedies\" is what `match --remedies` adds to the match "
             "(its remedies stage); its peak is of the whole `match --remedies` run.", "",
             "The exponents in brackets are the local ones, from the point before: the curve bends upwards as "
             "the regions fill up, so the fit over every point understates the growth at the large end.", "",
             "| students | density | network arcs | match s (exponent) | solve s | peak MiB | remedies s (exponent) "
             "| unplaced | peak MiB with remedies |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    before: dict = {}
    for p in scaling["points"]:
        if "refused" in p:  # its first sentence: the pairs, the memory they need and the memory there is
            lines.append(f"| {_fmt(p['students'])} | {p['density']} | refused: {p['refused'].split('. ')[0]} "
                         "|  |  |  |  |  |  |")
            continue
        local = {field: _local_exponent(before.get(field), (p["students"], p.get(field)))
                 for field in ("total_seconds", "remedies_seconds")}
        remedies = (f"{_fmt(p.get('remedies_seconds'))}{local['remedies_seconds']} | {_fmt(p.get('unplaced'))} "
                    f"| {_fmt(p.get('remedies_peak_mib'), 0)}") if "remedies_seconds" in p else \
            f"{p.get('remedies_failed', 'not measured (above --scaling-remedies)')} |  | "
        lines.append(f"| {_fmt(p['students'])} | {p['density']} | {_fmt(p['arcs'])} "
                     f"| {_fmt(p['total_seconds'])}{local['total_seconds']} "
                     f"| {_fmt(p['solve_seconds'])} | {_fmt(p['peak_mib'], 0)} | {remedies} |")
        before.update({field: (p["students"], p[field]) for field in local if p.get(field) is not None})
    lines += ["", "Fitted exponents (log–log least squares over the measured points): match time ∝ students^"
              f"{_fmt(scaling['time_exponent'])}, its peak memory ∝ students^{_fmt(scaling['memory_exponent'])}; "
              f"remedies time ∝ students^{_fmt(scaling.get('remedies_time_exponent'))}, peak memory with remedies "
              f"∝ students^{_fmt(scaling.get('remedies_memory_exponent'))}."]
    return lines


# --- Machine, versions, report ---------------------------------------------------------------


def machine_info() -> dict:
    """CPU count, memory and CPU model of this machine."""
    cpu_model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gib = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)), "memory_gib": memory_gib, "cpu_model": cpu_model,
            "platform": platform.platform()}


def library_versions() -> dict:
    """Versions of Python and of the libraries the runs use."""
    versions = {"python": platform.python_version()}
    for name in ("stagematch", "ortools", "numpy", "scipy", "networkx", "pandas", "pyarrow"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    try:
        from scipy.optimize._highspy import _core

        versions["highs (in scipy)"] = (
            f"{_core.HIGHS_VERSION_MAJOR}.{_core.HIGHS_VERSION_MINOR}.{_core.HIGHS_VERSION_PATCH}"
        )
    except (ImportError, AttributeError):
        versions["highs (in scipy)"] = "unknown"
    return versions


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "**NO**"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_markdown(report: dict) -> str:
    """The report as markdown tables."""
    m, v = report["machine"], report["versions"]
    lines = [
        f"Measured {report['date']} with `{report['command']}` on {m['nproc']} cores "
        f"({m['cpu_model']}), {m['memory_gib']} GiB. Libraries: "
        + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "",
        f"stagematch runs with `jobs={report['jobs']}`, certificate on; \"default\" is the default "
        "policy (the price of priority as a count, from the max flow it computes anyway), "
        "\"compare\" is `Policy(compare_unweighted=True)`: one more min-cost flow per part, to "
        "report whom priority displaces and at what cost. Every run is a fresh process; peak "
        "memory is the largest resident set of it or its workers (MiB).",
        "",
    ]
    sizes = report["sizes"]
    if sizes:
        lines += ["### Instances", "",
                  "| size | instance | students | vacancies | candidate arcs | network arcs | components "
                  "| largest components (arcs) |",
                  "|---|---|---:|---:|---:|---:|---:|---|"]
        for key, size in sizes.items():
            sm = size["stagematch"]
            net = sm["network"]
            lines.append(
                f"| {key} | {size['instance']} | {_fmt(sm['students'])} | {_fmt(sm['vacancies'])} "
                f"| {_fmt(net['candidate_arcs'])} | {_fmt(net['arcs'])} | {_fmt(net['components'])} "
                f"| {', '.join(f'{a:,}' for a in net['largest_components_arcs'])} |"
            )
        lines += ["", "### stagematch: seconds per stage", "",
                  "| size | run | " + " | ".join(STAGES) + " | total | peak MiB | placed | weighted, cost "
                  "| proven |",
                  "|---|---|" + "---:|" * (len(STAGES) + 3) + "---|---|"]
        for key, size in sizes.items():
            for run, sm in (("default", size["stagematch"]), ("compare", size["stagematch_compare"])):
                lines.append(
                    f"| {key} | {run} | " + " | ".join(_fmt(sm["stages"][s]) for s in STAGES)
                    + f" | **{_fmt(sm['total_seconds'])}** | {_fmt(sm['peak_mib'], 0)} | {_fmt(sm['placed'])} "
                    f"| {_fmt(sm['weighted_placed'])}, {_fmt(sm['secondary_cost'])} "
                    f"| {_fmt(sm['proven_optimal'])} |"
                )
        lines += ["", "### Peers on the same instance and model", "",
                  "Seconds are the peer's own work (see the notes); ratios divide them by stagematch's "
                  "total read→write time in the same run. \"Same optimum\" compares (weighted placed, "
                  "secondary cost) with stagematch's.", "",
                  "| size | peer | seconds | ÷ stagematch default | ÷ stagematch compare | peak MiB "
                  "| same optimum | notes |",
                  "|---|---|---:|---:|---:|---:|---|---|"]
        for key, size in sizes.items():
            sm = size["stagematch"]
            lines.append(f"| {key} | **stagematch** (default, end to end) | {_fmt(sm['total_seconds'])} | 1.00 "
                         f"| {_fmt(_ratio(sm['total_seconds'], size['stagematch_compare']['total_seconds']))} "
                         f"| {_fmt(sm['peak_mib'], 0)} | – | solve stage {_fmt(sm['stages']['solve'])} s |")
            for short, peer in size["peers"].items():
                if "skipped" in peer:
                    lines.append(f"| {key} | {peer['label']} | – | – | – | – | – | {peer['skipped']} |")
                    continue
                lines.append(
                    f"| {key} | {peer['label']} | {_fmt(peer['seconds'])} | {_fmt(peer['ratio_to_stagematch'])} "
                    f"| {_fmt(peer['ratio_to_stagematch_compare'])} | {_fmt(peer['peak_mib'], 0)} "
                    f"| {_fmt(peer.get('same_objective'))} | {_peer_note(short, peer)} |"
                )
        greedy_rows = [(k, s) for k, s in sizes.items() if "fewer_placed" in s["peers"].get("greedy", {})]
        if greedy_rows:
            lines += ["", "### What optimisation buys over first come, first served", "",
                      "| size | placed: stagematch / greedy (fewer) | priority tier placed (fewer) "
                      "| mean travel min of the placed | secondary cost |",
                      "|---|---|---|---|---|"]
            for key, size in greedy_rows:
                sm, g = size["stagematch"], size["peers"]["greedy"]
                lines.append(
                    f"| {key} | {_fmt(sm['placed'])} / {_fmt(g['placed'])} ({_fmt(g['fewer_placed'])}) "
                    f"| {_fmt(sm['priority_placed'])} / {_fmt(g['priority_placed'])} "
                    f"({_fmt(g['fewer_priority_placed'])}) "
                    f"| {_fmt(sm['mean_travel_min'])} / {_fmt(g['mean_travel_min'])} "
                    f"| {_fmt(sm['secondary_cost'])} / {_fmt(g['secondary_cost'])} |"
                )
    scaling = report.get("scaling")
    if scaling and scaling["points"]:
        lines += render_scaling(scaling)
        if report.get("plot"):
            lines += ["", f"![scaling]({report['plot']})"]
    return "\n".join(lines) + "\n"


def _peer_note(short: str, peer: dict) -> str:
    if short == "ortools":
        return f"undecomposed, {peer['arcs']:,} arcs, no certificate; network build {_fmt(peer['setup_seconds'])} s"
    if short == "highs":
        return f"{peer['variables']:,} variables; status {peer['status']}"
    if short == "networkx":
        return f"plus {_fmt(peer['build_seconds'])} s to build the graph"
    if short == "greedy":
        return "per-student Python loop; quality below"
    return ""


def update_readme(markdown: str) -> None:
    """Replace the text between the ``latest`` markers of benchmarks/README.md."""
    if not README.is_file():
        return
    text = README.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    body = markdown.replace("](scaling.png)", "](results/scaling.png)")
    README.write_text(f"{head}{README_START}\n{body}{README_END}{tail}", encoding="utf-8")


# --- Command line -------------------------------------------------------------------------------


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="region,four,national",
                        help="comma-separated subset of region,four,national (default: all three)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder (default: benchmarks/results)")
    parser.add_argument("--skip-peers", default="",
                        help="comma-separated peers to leave out: ortools,highs,networkx,greedy or all")
    parser.add_argument("--scaling", default="auto",
                        help="students per scaling point, comma-separated; 'auto' = the points up to the "
                             "largest size run (at least two); 'none' = no scaling curve")
    parser.add_argument("--scaling-remedies", type=int, default=NATIONAL_STUDENTS,
                        help="also measure match --remedies at the scaling points up to this many students "
                             "(default: %(default)s; 0 = none)")
    parser.add_argument("--remedies-timeout", type=float, default=3600.0,
                        help="seconds for one match --remedies run (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=JOBS, help="stagematch processes (default: %(default)s)")
    parser.add_argument("--lp-max-arcs", type=int, default=3_000_000,
                        help="skip HiGHS above this many candidate arcs (default: %(default)s)")
    parser.add_argument("--lp-timeout", type=float, default=1800.0, help="seconds (default: %(default)s)")
    parser.add_argument("--networkx-max-arcs", type=int, default=3_000_000,
                        help="do not start networkx above this many arcs (default: %(default)s)")
    parser.add_argument("--networkx-timeout", type=float, default=300.0, help="seconds (default: %(default)s)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--instance", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _scaling_points(value: str, sizes: list[InstanceSpec]) -> list[int]:
    if value == "none":
        return []
    if value != "auto":
        return [int(x.replace("_", "")) for x in value.split(",") if x]
    largest = max((spec.students for spec in sizes), default=0)
    points = [n for n in SCALING_STUDENTS if n <= largest]
    return points if len(points) >= 2 else list(SCALING_STUDENTS[:2])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--one``, one measured run)."""
    args = _parse_args(argv)
    if args.one:
        run_one(args.one, args.instance, args.result_file, args.jobs)
        return 0

    specs = size_specs()
    keys = [k for k in args.sizes.split(",") if k]
    unknown = [k for k in keys if k not in specs]
    if unknown:
        raise SystemExit(f"unknown size(s) {', '.join(unknown)}: use region, four, national")
    skip = {s for s in args.skip_peers.split(",") if s}
    args.skip_peers = set(PEER_TASKS) if "all" in skip else skip
    if args.skip_peers - set(PEER_TASKS):
        raise SystemExit(f"unknown peer(s) {', '.join(args.skip_peers - set(PEER_TASKS))}")
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    history: dict = {}
    sizes = {key: bench_size(specs[key], args, history) for key in keys}
    measured = {size["instance"]: size["stagematch"] for size in sizes.values()}
    scaling = bench_scaling(_scaling_points(args.scaling, [specs[k] for k in keys]), args, measured)
    plot = None
    if len(scaling["points"]) >= 1:
        plot_scaling(scaling, args.out / "scaling.png")
        plot = "scaling.png"

    report = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "benchmark_seconds": None,
        "jobs": args.jobs,
        "machine": machine_info(),
        "versions": library_versions(),
        "sizes": sizes,
        "scaling": scaling,
        "plot": plot,
    }
    report["command"] = report["command"].strip()
    report["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    markdown = render_markdown(report)
    (args.out / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    (args.out / "latest.md").write_text(markdown, encoding="utf-8")
    if args.out == DEFAULT_OUT.resolve():
        update_readme(markdown)
    _log(f"wrote {args.out / 'latest.md'} and latest.json in {report['benchmark_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
