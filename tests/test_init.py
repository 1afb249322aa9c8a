"""`dateline init`: a new timeline that builds at once; `--version`; the top-level help."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
import yaml

import dateline
from dateline import init

EVENT_PAGE = "output/events/2024-01-15-example-replace-this-event/index.html"


class Terminal(io.StringIO):
    """Typed answers, on what looks like a terminal."""

    def isatty(self) -> bool:
        return True


class NoInput:
    """A stdin that is not a terminal and must never be read."""

    def isatty(self) -> bool:
        return False

    def readline(self):
        raise AssertionError("init read stdin that is not a terminal")

    read = readline


@pytest.fixture(autouse=True)
def not_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stdin", NoInput())


@pytest.fixture
def installed_from(monkeypatch):
    """Make the running Dateline look installed from the given PEP 610 record (None: no record)."""
    def install(record: dict | None):
        class Dist:
            version = dateline.__version__

            def read_text(self, name):
                assert name == "direct_url.json"
                return None if record is None else json.dumps(record)
        monkeypatch.setattr(init.metadata, "distribution", lambda name: Dist())
    return install


def test_a_new_timeline_passes_check_strict_and_builds_with_the_example_page(run_cli, tmp_path):
    root = tmp_path / "mytimeline"
    code, out, err = run_cli("init", root)
    assert code == 0, err
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        ".github/workflows/pages.yml", ".gitignore", "README.md", "content/events/2024-01-15-example.md",
        "content/sources/example-source.yaml", "requirements.txt", "site.yaml", "sources-text/example-source.txt"]
    assert out.split() == [str(root / p) for p in init.files(init.Settings("T"), "", "x")]
    code, _, err = run_cli("check", "--site", root, "--strict")
    assert code == 0, err
    assert "0 errors, 0 warnings" in err
    code, _, err = run_cli("build", "--site", root)
    assert code == 0, err
    page = (root / EVENT_PAGE).read_text()
    assert "Example: replace this event" in page and "Example source: replace this with a real one" in page


def test_the_example_quote_is_checked_against_the_stored_text(run_cli, tmp_path):
    root = tmp_path / "t"
    assert run_cli("init", root)[0] == 0
    (root / "sources-text/example-source.txt").write_text("Something else entirely.\n")
    code, _, err = run_cli("check", "--site", root)
    assert code == 1 and "quote not found in example-source's text" in err


def test_settings_come_from_the_options(run_cli, tmp_path):
    root = tmp_path / "t"
    code, _, err = run_cli("init", root, "--title", "Floods: the Po valley", "--description", "When the river rose.",
                           "--language", "fr")
    assert code == 0, err
    assert yaml.safe_load((root / "site.yaml").read_text()) == {
        "title": "Floods: the Po valley", "description": "When the river rose.", "base_url": "/", "language": "fr"}
    assert (root / "README.md").read_text().startswith("# Floods: the Po valley\n\nWhen the river rose.\n")
    assert run_cli("check", "--site", root, "--strict")[0] == 0


def test_without_options_the_title_comes_from_the_folder(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "rivers-of-2024")[0] == 0
    site = yaml.safe_load((tmp_path / "rivers-of-2024/site.yaml").read_text())
    assert site["title"] == "Rivers of 2024" and site["language"] == "en"


def test_bad_options_are_refused_all_at_once_before_anything_is_written(run_cli, tmp_path):
    code, _, err = run_cli("init", tmp_path / "t", "--title", " ", "--language", "en gb")
    assert code == 1
    assert "--title: must not be empty" in err and "--language: 'en gb' is not a language code" in err
    assert not (tmp_path / "t").exists()


def test_on_a_terminal_it_asks_with_defaults(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal("Dams of the Ebro\n\nnot a language\nes\n"))
    code, _, err = run_cli("init", tmp_path / "t")
    assert code == 0, err
    assert "Title [T]: " in err and "is not a language code" in err
    site = yaml.safe_load((tmp_path / "t/site.yaml").read_text())
    assert site == {"title": "Dams of the Ebro", "description": init.DEFAULT_DESCRIPTION, "base_url": "/",
                    "language": "es"}


def test_on_a_terminal_options_given_are_not_asked_and_end_of_input_keeps_the_defaults(run_cli, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    code, _, err = run_cli("init", tmp_path / "t", "--title", "Given")
    assert code == 0, err
    assert "Title" not in err and "One sentence about it" in err
    assert yaml.safe_load((tmp_path / "t/site.yaml").read_text())["title"] == "Given"


def test_a_folder_that_is_not_empty_is_refused(run_cli, tmp_path):
    root = tmp_path / "busy"
    root.mkdir()
    (root / "notes.txt").write_text("mine\n")
    code, out, err = run_cli("init", root)
    assert code == 1 and out == ""
    assert f"{root.as_posix()}: error: the folder is not empty" in err and "--force" in err
    assert [p.name for p in root.iterdir()] == ["notes.txt"]


def test_a_folder_holding_only_git_counts_as_empty(run_cli, tmp_path):
    (tmp_path / "clone/.git").mkdir(parents=True)
    assert run_cli("init", tmp_path / "clone")[0] == 0
    assert (tmp_path / "clone/site.yaml").is_file()


def test_a_file_is_not_a_folder(run_cli, tmp_path):
    (tmp_path / "f").write_text("x")
    code, _, err = run_cli("init", tmp_path / "f")
    assert code == 1 and "is a file, not a folder" in err


def test_force_adds_what_is_missing_and_keeps_every_existing_file(run_cli, tmp_path):
    root = tmp_path / "t"
    (root / "content/sources").mkdir(parents=True)
    (root / "README.md").write_text("our own README\n")
    (root / "content/sources/example-source.yaml").write_text("title: Ours\n")
    code, out, err = run_cli("init", root, "--force")
    assert code == 0, err
    assert (root / "README.md").read_text() == "our own README\n"
    assert (root / "content/sources/example-source.yaml").read_text() == "title: Ours\n"
    assert "kept, as they were already there: content/sources/example-source.yaml, README.md" in err
    assert str(root / "README.md") not in out.split() and (root / "site.yaml").is_file()
    code, _, err = run_cli("init", root, "--force")
    assert code == 0 and "nothing to add" in err


def test_from_a_checkout_requirements_txt_is_a_placeholder_and_init_says_so(run_cli, tmp_path, monkeypatch):
    def missing(name):
        raise init.metadata.PackageNotFoundError(name)
    monkeypatch.setattr(init.metadata, "distribution", missing)
    code, _, err = run_cli("init", tmp_path / "t")
    assert code == 0
    assert "note:" in err and "requirements.txt names no Dateline to install" in err
    lines = (tmp_path / "t/requirements.txt").read_text().splitlines()
    assert all(line.startswith("#") for line in lines) and f"# {init.PLACEHOLDER}" in lines
    assert _run_step(tmp_path / "t", "Check that requirements.txt names Dateline").returncode == 1


def test_a_git_install_pins_its_commit_in_requirements_txt(run_cli, tmp_path, installed_from):
    installed_from({"url": "https://github.com/someone/dateline.git",
                    "vcs_info": {"vcs": "git", "commit_id": "0123abcd" * 5, "requested_revision": "main"}})
    code, _, err = run_cli("init", tmp_path / "t")
    assert code == 0 and "note:" not in err
    pins = [line for line in (tmp_path / "t/requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert pins == ["dateline @ git+https://github.com/someone/dateline.git@" + "0123abcd" * 5]
    assert _run_step(tmp_path / "t", "Check that requirements.txt names Dateline").returncode == 0


@pytest.mark.parametrize("record, expected", [
    ({"url": "https://example.org/dateline-0.1.0.tar.gz", "archive_info": {}},
     "dateline @ https://example.org/dateline-0.1.0.tar.gz"),
    ({"url": "https://user:secret@git.example.org/dl.git", "vcs_info": {"vcs": "git", "commit_id": "abc"},
      "subdirectory": "py"}, "dateline @ git+https://git.example.org/dl.git@abc#subdirectory=py"),
    ({"url": "file:///home/me/dateline", "dir_info": {"editable": True}}, ""),
    ({"url": "file:///tmp/dateline-0.1.0-py3-none-any.whl", "archive_info": {}}, ""),
    ({"url": "ssh://git@github.com/someone/dateline.git", "vcs_info": {"vcs": "git", "commit_id": "abc"}}, ""),
])
def test_the_requirement_comes_from_a_public_address_only(record, expected):
    pin, why = init.requirement_from(record)
    assert pin == expected and bool(why) == (not expected)


def test_no_record_and_a_broken_record_give_the_placeholder(installed_from):
    installed_from(None)
    assert init.requirement()[0] == ""
    installed_from({"url": "https://example.org/x.git", "vcs_info": {}})
    assert init.requirement()[0] == ""


def test_the_workflow_installs_dateline_keeps_the_cache_and_publishes_at_the_pages_address(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "t")[0] == 0
    flow = yaml.safe_load((tmp_path / "t/.github/workflows/pages.yml").read_text())
    assert flow[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}  # YAML reads `on` as true
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    steps = flow["jobs"]["build"]["steps"]
    names = [s.get("name") or s["uses"].split("@")[0] for s in steps]
    assert names == ["actions/checkout", "actions/setup-python", "Check that requirements.txt names Dateline",
                     "Install Dateline", "Find Dateline's version, for the cache key",
                     "Keep the build cache (.dateline-cache/)", "Find the Pages address", "Build the site into output/",
                     "Upload output/ as the Pages artifact"]
    step = dict(zip(names, steps))
    assert step["Install Dateline"]["run"] == "pip install -r requirements.txt"
    cache = step["Keep the build cache (.dateline-cache/)"]
    assert cache["uses"].startswith("actions/cache@") and cache["with"]["path"].split() == [".dateline-cache", "~/.cache/dateline"]
    assert cache["with"]["key"].startswith("dateline-${{ steps.dateline.outputs.version }}-")
    assert cache["with"]["restore-keys"].strip() in cache["with"]["key"]
    assert step["Find Dateline's version, for the cache key"]["id"] == "dateline"
    assert step["Find the Pages address"]["uses"].startswith("actions/configure-pages@")
    build = step["Build the site into output/"]
    assert build["run"] == "dateline build"
    assert build["env"]["DATELINE_BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert step["Upload output/ as the Pages artifact"]["with"]["path"].rstrip("/") == "output"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def _run_step(root, name: str) -> subprocess.CompletedProcess:
    """Run one `run:` step of the new timeline's workflow with bash, in the timeline's folder."""
    flow = yaml.safe_load((root / ".github/workflows/pages.yml").read_text())
    script = next(s["run"] for s in flow["jobs"]["build"]["steps"] if s.get("name") == name)
    return subprocess.run(["bash", "-e", "-c", script], cwd=root, capture_output=True, text=True)


def test_the_readme_starts_with_three_commands_then_where_things_go_then_publishing(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "t")[0] == 0
    text = (tmp_path / "t/README.md").read_text()
    first_screen = "\n".join(text.splitlines()[:24])
    commands = [line.split()[1] for line in first_screen.splitlines() if line.startswith("dateline ")]
    assert commands == ["new", "serve", "build"]
    assert text.index("## Start") < text.index("## Where things go") < text.index("## Publishing on GitHub Pages")
    publishing = text[text.index("## Publishing on GitHub Pages"):]
    assert [line[:2] for line in publishing.splitlines() if line[:1].isdigit()] == ["1.", "2.", "3.", "4."]


def test_the_gitignore_leaves_out_what_a_build_makes(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "t")[0] == 0
    ignored = (tmp_path / "t/.gitignore").read_text().splitlines()
    assert "output/" in ignored and ".dateline-cache/" in ignored


def test_version_prints_the_version(run_cli):
    code, out, _ = run_cli("--version")
    assert code == 0 and out == f"dateline {init.version()}\n"


def test_the_version_is_the_installed_one_or_the_package_s(monkeypatch):
    monkeypatch.setattr(init.metadata, "version", lambda name: "9.8.7")
    assert init.version() == "9.8.7"

    def missing(name):
        raise init.metadata.PackageNotFoundError(name)
    monkeypatch.setattr(init.metadata, "version", missing)
    assert init.version() == dateline.__version__


def test_the_help_shows_examples_and_exit_codes(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0 and out.startswith("usage: dateline ")
    examples = out[out.index("examples:"):out.index("exit codes:")]
    for command in ("dateline init mytimeline", "dateline build", "dateline check --strict", "dateline serve",
                    "dateline new "):
        assert command in examples
    codes = out[out.index("exit codes:"):].splitlines()[1:4]
    assert [line.split()[0] for line in codes] == ["0", "1", "2"]
    assert "init" in out.split("positional arguments:")[1].split("options:")[0]


def test_the_help_names_build_py_when_run_through_it(run_cli, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/somewhere/build.py", "--help"])
    out = run_cli("--help")[1]
    assert out.startswith("usage: build.py ") and "build.py init mytimeline" in out


def test_init_through_build_py_names_the_build_py_that_ran_it(run_cli, monkeypatch, tmp_path):
    """The preview command it prints works from any folder, not only from inside the clone."""
    monkeypatch.setattr(sys, "argv", ["/somewhere/dateline/build.py", "init", str(tmp_path / "mine")])
    err = run_cli("init", tmp_path / "mine")[2]
    assert err.splitlines()[-1].endswith(f"preview it: python3 /somewhere/dateline/build.py serve --site {tmp_path / 'mine'}")
