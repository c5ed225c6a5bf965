"""Nothing leaves the machine: nnlib and the notebooks open no network connection.

tests/network_guard/sitecustomize.py, first on PYTHONPATH, makes every Python process
(a Jupyter kernel too) refuse and log any connection or host-name look-up that is not
local. Here we prove that the guard bites (in a plain process and in a kernel), that
loopback still works, and that nnlib's data loaders, training, plotting and exercise
checkers run under it without a single attempt. The chapters run under it in
test_notebook_reruns.py. (CI also runs the whole suite in a network namespace that has
only loopback; this test names the culprit where that would only see a failure.)
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

GUARD = Path(__file__).parent / "network_guard"


def guarded_env(log):
    """The environment of a process (and of the kernels it starts) with the guard on."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # kernels draw inline
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["NNLIB_NETWORK_LOG"] = str(log)
    return env


def run_guarded(code, log, cwd):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=guarded_env(log),
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def attempts(log):
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_the_guard_refuses_outside_addresses_and_lets_loopback_through(tmp_path):
    log = tmp_path / "network.log"
    result = run_guarded("""
        import os, socket, urllib.request
        assert os.environ["NNLIB_NETWORK_GUARD"] == "active"
        outside = [
            lambda: socket.socket().connect(("192.0.2.1", 80)),  # TEST-NET-1, by address
            lambda: socket.create_connection(("192.0.2.1", 80), timeout=2),
            lambda: urllib.request.urlopen("https://example.com", timeout=2),  # by name
            lambda: socket.socket(type=socket.SOCK_DGRAM).sendto(b"?", ("8.8.8.8", 53)),
            lambda: socket.gethostbyname("pypi.org"),
        ]
        for attempt in outside:
            try:
                attempt()
            except OSError as error:  # urllib wraps it in URLError, an OSError too
                assert "blocked by tests/network_guard" in str(error), error
            else:
                raise AssertionError("not blocked")
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        client = socket.create_connection(server.getsockname(), timeout=5)
        peer, _ = server.accept()
        client.sendall(b"local")
        assert peer.recv(5) == b"local"
        print("loopback works")
    """, log, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "loopback works" in result.stdout
    logged = attempts(log)
    assert len(logged) == 5, logged
    for expected in ("connect to ('192.0.2.1', 80)", "look up '192.0.2.1'",
                     "look up 'example.com'", "datagram to ('8.8.8.8', 53)", "look up 'pypi.org'"):
        assert any(expected in line for line in logged), (expected, logged)


@pytest.mark.slow
def test_the_guard_bites_inside_a_jupyter_kernel_too(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os\nprint(os.environ.get('NNLIB_NETWORK_GUARD'))"),
        nbformat.v4.new_code_cell("import socket\nsocket.create_connection(('192.0.2.1', 80), 2)"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = tmp_path / "reach_out.ipynb"
    nbformat.write(notebook, path)
    log = tmp_path / "network.log"
    result = run_guarded(f"""
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
        notebook = nbformat.read({str(path)!r}, as_version=4)
        try:
            NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
        except CellExecutionError as error:
            print("CELL FAILED:", error)
        print("OUTPUT:", notebook.cells[0].outputs[0]["text"])
    """, log, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "OUTPUT: active" in result.stdout  # the kernel imported the guard
    assert "PermissionError" in result.stdout and "blocked by tests/network_guard" in result.stdout
    assert any("192.0.2.1" in line for line in attempts(log))


@pytest.mark.slow
def test_a_kernel_started_without_the_guard_is_not_guarded(tmp_path):
    # The check can fail: without the guard on PYTHONPATH, the kernel has no guard.
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os\nprint(os.environ.get('NNLIB_NETWORK_GUARD'))")])
    env_before = os.environ.pop("NNLIB_NETWORK_GUARD", None)
    try:
        NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    except CellExecutionError as error:  # pragma: no cover - reported by the assertion
        pytest.fail(str(error))
    finally:
        if env_before is not None:
            os.environ["NNLIB_NETWORK_GUARD"] = env_before
    assert notebook.cells[0].outputs[0]["text"].strip() == "None"


@pytest.mark.slow
def test_nnlib_opens_no_connection(tmp_path):
    log = tmp_path / "network.log"
    result = run_guarded("""
        import matplotlib
        matplotlib.use("Agg")
        import numpy as np
        import nnlib
        from nnlib import data, exercises, plotting
        from nnlib.activations import ReLU
        from nnlib.layers import Linear, Sequential
        from nnlib.losses import CrossEntropyLoss
        from nnlib.optim import SGD
        from nnlib.perceptron import Perceptron
        import nnlib.exercises.activations, nnlib.exercises.backprop
        import nnlib.exercises.multilayer, nnlib.exercises.perceptron

        X, y = data.load_iris_2d()
        Perceptron().fit(X, y)
        data.make_xor(), data.logic_gate("AND"), data.make_moons()
        X_train, X_test, y_train, y_test = data.load_digits_split()
        net = Sequential(Linear(64, 32, rng=0), ReLU(), Linear(32, 10, rng=1))
        loss, optimizer = CrossEntropyLoss(), SGD(net.parameters(), lr=0.1)
        for start in range(0, 320, 32):
            optimizer.zero_grad()
            loss(net(X_train[start:start + 32]), y_train[start:start + 32])
            net.backward(loss.backward())
            optimizer.step()
        plotting.plot_decision_regions(lambda P: (P[:, 0] > 5).astype(int), X, y)
        nnlib.exercises.multilayer.check_parameter_count(101770)
        print("done")
    """, log, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "done" in result.stdout
    assert attempts(log) == []
