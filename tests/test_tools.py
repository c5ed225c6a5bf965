"""The maintenance tools in tools/: what they promise the next person."""

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_execute_merges_printed_output_that_timing_split():
    merge_streams = load_tool("execute_notebooks").merge_streams
    out = nbformat.v4.new_output
    outputs = [out("stream", name="stdout", text="a\n"), out("stream", name="stdout", text="b\n"),
               out("stream", name="stderr", text="warning\n"),
               out("stream", name="stdout", text="c\n")]
    merged = merge_streams(outputs)
    assert [(o.name, o.text) for o in merged] == [
        ("stdout", "a\nb\n"), ("stderr", "warning\n"), ("stdout", "c\n")]


def test_sync_listings_follows_a_listing_through_an_edit():
    follow = load_tool("sync_listings").follow
    before = ["class A:", "    def f(self):", "        return 1", "", "    def g(self):",
              "        return 2"]
    after = ["class A:", "    def f(self, x=0):", '        """Doc."""', "        return 1 + x",
             "", "    def g(self):", "        return 2"]
    # f was lines 2-3; it is now lines 2-4 (its header and its last line both changed)
    assert follow(before, after, 2, 3) == (1, 4)
    # g, untouched but moved down by one line
    assert follow(before, after, 5, 6) == (5, 7)
