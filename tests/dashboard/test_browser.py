"""End-to-end tests of ``negsim dashboard`` in headless Chromium (Playwright's Python API).

The server runs in a subprocess on a free port; the browser is Debian's ``chromium`` (no
Playwright browser download), and every request to another host is aborted, so the page
must render from what the server itself sends. The tests assert on text and elements, not
on pixels. Set ``NEGSIM_UPDATE_FIGURES=1`` to write the screenshot of the how-to
(``docs/figures/dashboard.png``); otherwise it goes to a temporary directory.
"""

from __future__ import annotations

import faulthandler
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from negsim.scenario import load_scenario

pytest.importorskip("nicegui", reason="the dashboard extra (nicegui) is not installed")
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright (Python package) is not installed")

sync_api.expect.set_options(timeout=60_000)  # a loaded machine is slow

ROOT = Path(__file__).resolve().parents[2]
RUNS = 300
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(autouse=True)
def _watchdog() -> Iterator[None]:
    """A browser test that hangs stops the test run with tracebacks after 5 minutes."""
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    """``negsim dashboard`` in a subprocess; :meth:`url` waits until it answers."""

    def __init__(self, log_path: Path) -> None:
        self.port = _free_port()
        self.log_path = log_path
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "negsim", "dashboard", "libya-2020", "--port",
             str(self.port), "--runs", str(RUNS)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, text=True,
            # NiceGUI reads PYTEST_CURRENT_TEST as "inside NiceGUI's own test harness"
            env={k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"},
        )
        self.ready = False

    def url(self) -> str:
        url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 60
        while not self.ready:
            if self.proc.poll() is not None:
                pytest.fail(f"negsim dashboard exited with {self.proc.returncode}: "
                            f"{self.log_path.read_text()}")
            try:
                urllib.request.urlopen(url, timeout=2).close()
                self.ready = True
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("negsim dashboard did not answer within 60 s")
                time.sleep(0.2)
        return url

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    """The server, started before the browser so that both start up at once."""
    srv = _Server(tmp_path_factory.mktemp("dashboard") / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium executable (apt-get install chromium; .ci/run does it)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(server: _Server, browser: object) -> Iterator[object]:
    """A page of the dashboard with every request to another host aborted."""
    url = server.url()
    context = browser.new_context(viewport={"width": 1400, "height": 1000},  # type: ignore[attr-defined]
                                  accept_downloads=True)
    page = context.new_page()
    page.elsewhere = []  # type: ignore[attr-defined]

    def route(r: object) -> None:
        target = r.request.url  # type: ignore[attr-defined]
        if target.startswith(url):
            r.continue_()  # type: ignore[attr-defined]
        else:
            page.elsewhere.append(target)  # type: ignore[attr-defined]
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.set_default_timeout(60_000)
    page.goto(url)
    yield page
    page.unroute_all(behavior="ignoreErrors")
    context.close()


def _wait_done(page: object, ensemble: int) -> None:
    sync_api.expect(page.get_by_test_id("status")).to_have_text(  # type: ignore[attr-defined]
        f"Done: ensemble {ensemble}, {RUNS:,} runs", timeout=60_000)


def _move_slider(page: object, path: str, fraction: float) -> None:
    slider = page.get_by_role("slider", name=path)  # type: ignore[attr-defined]
    box = slider.bounding_box()
    slider.click(position={"x": box["width"] * fraction, "y": box["height"] / 2})


def test_page_loads_offline_with_the_scenario(page: object) -> None:
    scenario = load_scenario("libya-2020")
    expect = sync_api.expect
    expect(page.get_by_test_id("title")).to_have_text(scenario.title)  # type: ignore[attr-defined]
    _wait_done(page, 1)
    outcomes = page.get_by_test_id("outcomes")  # type: ignore[attr-defined]
    expect(outcomes).to_contain_text("signed and holds")
    expect(outcomes).to_contain_text("partial signature")
    page.get_by_role("tab", name="Scenario").click()  # type: ignore[attr-defined]
    expect(page.get_by_test_id("scenario-red_lines")).to_contain_text(  # type: ignore[attr-defined]
        "GNA-Turkey security agreement")
    expect(page.get_by_test_id("scenario-timeline")).to_contain_text("2020-01-19")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("scenario-demands")).to_contain_text("seed-000")  # type: ignore[attr-defined]
    page.get_by_role("tab", name="Figures").click()  # type: ignore[attr-defined]
    images = page.locator("img[src^='data:image/png']")  # type: ignore[attr-defined]
    expect(images.nth(1)).to_be_visible()  # the first plot, baseline and edited
    expect(images.first).to_have_attribute("alt", "outcomes")
    # nothing was requested from another host, and the page rendered without it
    assert page.elsewhere == []  # type: ignore[attr-defined]


def test_moving_a_slider_changes_the_outcome_and_the_download_validates(
        page: object, tmp_path: Path) -> None:
    expect = sync_api.expect
    _wait_done(page, 1)
    edited = page.get_by_test_id("outcomes").locator("tbody tr").first  # type: ignore[attr-defined]
    before = edited.inner_text()
    base_cells = edited.locator("td")
    assert base_cells.nth(1).inner_text() == base_cells.nth(2).inner_text()  # edited == baseline
    _move_slider(page, "actors.LNA.capability", 0.95)
    _wait_done(page, 2)
    expect(edited).not_to_have_text(before)
    assert base_cells.nth(1).inner_text() != base_cells.nth(2).inner_text()
    expect(page.get_by_test_id("changed")).to_contain_text(  # type: ignore[attr-defined]
        "--set actors.LNA.capability=")
    shot = (ROOT / "docs" / "figures" / "dashboard.png"
            if os.environ.get("NEGSIM_UPDATE_FIGURES") else tmp_path / "dashboard.png")
    page.screenshot(path=str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 10_000

    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.get_by_role("button", name="Download scenario (TOML)").click()  # type: ignore[attr-defined]
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "libya-2020-edited.toml"
    loaded = load_scenario(path)  # validates, like negsim validate
    value = loaded.get("actors.LNA.capability")
    assert 0.6 <= value <= 0.65
    assert "actors.LNA.capability" not in {u.parameter for u in loaded.uncertainty}

    page.get_by_role("button", name="Reset all").click()  # type: ignore[attr-defined]
    _wait_done(page, 3)
    expect(base_cells.nth(2)).to_have_text(base_cells.nth(1).inner_text())  # back to baseline
    expect(page.get_by_test_id("changed")).to_have_text("")  # type: ignore[attr-defined]
    assert page.elsewhere == []  # type: ignore[attr-defined]


def test_one_run_steps_round_by_round(page: object) -> None:
    expect = sync_api.expect
    _wait_done(page, 1)
    page.get_by_role("tab", name="Story of one run").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Tell").click()  # type: ignore[attr-defined]
    title = page.get_by_test_id("story-title")  # type: ignore[attr-defined]
    story = page.get_by_test_id("story")  # type: ignore[attr-defined]
    expect(title).to_have_text("Run 0, step 1 of 4: moscow")
    expect(story).to_contain_text("moscow: Russia and Turkey drafted a text")
    expect(story).not_to_contain_text("berlin:")
    page.get_by_role("button", name="Next round").click()  # type: ignore[attr-defined]
    expect(title).to_have_text("Run 0, step 2 of 4: berlin")
    expect(story).to_contain_text("berlin:")
    page.get_by_role("button", name="Previous round").click()  # type: ignore[attr-defined]
    expect(title).to_have_text("Run 0, step 1 of 4: moscow")
