"""Output folders never lose data, and MPI runs end together (issue 14).

Unit tests of :class:`kinetics.output.folder.OutputFolder` on one rank, then ``kinetics run``
and :mod:`kinetics.parallel` in subprocesses under ``mpirun`` (asymmetric errors end every
rank; killing the launcher ends the ranks).  Not marked mpi: the tests start mpirun
themselves.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kinetics.output.folder import MARKER, OutputError, OutputFolder

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "pt_yig_film.toml"


@pytest.fixture
def comm():
    from mpi4py import MPI
    return MPI.COMM_SELF


def write_two(tmp: Path):
    (tmp / "results.json").write_text("{}\n")
    (tmp / "fields.bp").mkdir()
    (tmp / "fields.bp" / "data.0").write_text("x")


def test_new_folder_gets_result_and_marker(tmp_path, comm):
    out = tmp_path / "a" / "b"
    OutputFolder(out, comm).write(write_two)
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "results.json", "fields.bp"])
    marker = json.loads((out / MARKER).read_text())
    assert marker["entries"] == ["fields.bp", "results.json"] and marker["complete"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]     # no temporary left


def test_empty_folder_is_used(tmp_path, comm):
    out = tmp_path / "empty"
    out.mkdir()
    OutputFolder(out, comm).write(write_two)
    assert (out / "results.json").is_file()


@pytest.mark.parametrize("setup, match", [
    (lambda d: (d / "notes.txt").write_text("mine"), "not a kinetics result"),
    (lambda d: None, "not a folder"),
])
def test_foreign_folder_or_file_refused_and_untouched(tmp_path, comm, setup, match):
    out = tmp_path / "out"
    if match == "not a folder":
        out.write_text("a file")
    else:
        out.mkdir()
        setup(out)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(OutputError, match=match):
        OutputFolder(out, comm)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_previous_result_replaced_but_not_with_foreign_files(tmp_path, comm):
    out = tmp_path / "out"
    OutputFolder(out, comm).write(write_two)
    OutputFolder(out, comm).write(lambda t: (t / "results.json").write_text('{"n": 2}\n'))
    assert json.loads((out / "results.json").read_text()) == {"n": 2}
    assert not (out / "fields.bp").exists()               # the old run's entry is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    (out / "mine.txt").write_text("mine")
    with pytest.raises(OutputError, match="mine.txt"):
        OutputFolder(out, comm)
    assert (out / "mine.txt").read_text() == "mine"


def test_protected_places_refused(tmp_path, comm, monkeypatch):
    case = tmp_path / "cases" / "c.toml"
    case.parent.mkdir()
    case.write_text("")
    for out, match in ((case.parent, "holds"), (tmp_path, "holds")):
        with pytest.raises(OutputError, match=match):
            OutputFolder(out, comm, protect=[case])
    monkeypatch.chdir(case.parent)
    for out in (".", "..", str(Path.cwd())):
        with pytest.raises(OutputError, match="working directory"):
            OutputFolder(out, comm)
    with pytest.raises(OutputError, match="root"):
        OutputFolder("/", comm)
    with pytest.raises(OutputError, match="cannot write"):
        OutputFolder("/proc/kinetics-out", comm)
    assert case.is_file() and sorted(p.name for p in case.parent.iterdir()) == ["c.toml"]


def test_failed_writer_keeps_previous_result(tmp_path, comm):
    out = tmp_path / "out"
    OutputFolder(out, comm).write(write_two)

    def broken(t: Path):
        (t / "results.json").write_text("half")
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError, match="disk full"):
        OutputFolder(out, comm).write(broken)
    assert (out / "results.json").read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_dead_launcher_keeps_previous_result(tmp_path, comm):
    out = tmp_path / "out"
    OutputFolder(out, comm).write(write_two)
    with pytest.raises(OutputError, match="launcher"):
        OutputFolder(out, comm).write(lambda t: (t / "new").write_text("x"),
                                      launcher_alive=lambda: False)
    assert (out / "results.json").is_file() and not (out / "new").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_stale_partial_of_dead_process_removed_other_kept(tmp_path, comm):
    import socket
    out = tmp_path / "out"
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".out.partial-{socket.gethostname()}-{dead.pid}"
    stale.mkdir()
    (stale / MARKER).write_text("{}")
    foreign = tmp_path / ".out.partial-otherhost-1"
    foreign.mkdir()
    folder = OutputFolder(out, comm)
    folder.write(write_two)
    assert not stale.exists() and foreign.exists()
    assert folder.notes == [str(foreign)]


# -- kinetics run and MPI ------------------------------------------------------------------
def clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_COMM", "PMIX", "PMI_"))}


def run(cmd, ranks=1, timeout=240, **kw):
    if ranks > 1:
        cmd = ["mpirun", "-n", str(ranks), *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), timeout=timeout,
                          **kw)


@pytest.mark.parametrize("ranks", [1, 2])
def test_cli_refuses_foreign_folder_on_every_rank(tmp_path, ranks):
    out = tmp_path / "data"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    res = run([sys.executable, "-m", "kinetics", "run", str(CASE), "-o", str(out), "-q"], ranks)
    assert res.returncode == 2, res.stderr
    assert res.stderr.count("kinetics: output folder") == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert (out / "thesis.tex").read_text() == "years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


SCRIPT = """
import sys
from mpi4py import MPI
from kinetics import parallel
comm = MPI.COMM_WORLD
mode = sys.argv[1]
if mode == "one" and comm.rank == 1:
    sys.exit(parallel.finish_error(comm, 4, "disk on fire", timeout=2.0))
if mode == "all":
    sys.exit(parallel.finish_error(comm, 2 + comm.rank, "bad input"))
comm.barrier()          # rank 0 of mode "one": waits for a rank that never comes
"""


@pytest.mark.parametrize("mode, code, message", [("one", 4, "disk on fire"),
                                                 ("all", 3, "bad input")])
def test_error_on_some_or_all_ranks_ends_every_rank(tmp_path, mode, code, message):
    script = tmp_path / "s.py"
    script.write_text(SCRIPT)
    res = run([sys.executable, str(script), mode], ranks=2, timeout=120)
    assert res.returncode == code, res.stderr
    assert res.stderr.count(message) == 1, res.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_killed_launcher_ends_the_ranks(tmp_path):
    script = tmp_path / "guard.py"
    flag = tmp_path / "survived"
    script.write_text("import sys, time\nfrom kinetics import parallel\n"
                      "parallel.guard_launcher()\nprint('armed', flush=True)\ntime.sleep(6)\n"
                      f"open({str(flag)!r} + sys.argv[1], 'w').write('x')\n")
    proc = subprocess.Popen(["mpirun", "-n", "2", sys.executable, str(script), "x"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=clean_env(), start_new_session=True)
    armed = 0
    while armed < 2:
        line = proc.stdout.readline()
        assert line, "mpirun ended before the ranks started"
        armed += line.strip() == "armed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(8)       # longer than the ranks' sleep: a surviving rank writes the flag
    assert not list(tmp_path.glob("survived*"))
