"""Drive Label Studio's own editor in headless Chromium (run by the Label Studio venv's
python from test_labelstudio_server.py; needs selenium there and Debian's chromium and
chromium-driver).

Reads back what the editor highlights for some tasks, then makes regions on one more
task the way a person does (pick a label, select text, release the mouse) and submits.
Prints one JSON object: {"highlights": {task id: [highlighted text, ...]}}.

Usage: python labelstudio_editor.py BASE PROJECT EMAIL PASSWORD SHOW_IDS ANNOTATE_ID PICKS
where SHOW_IDS is "1,2,3" and PICKS is JSON [[label, text to select], ...].
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from selenium import webdriver  # type: ignore[import-not-found]
from selenium.webdriver.chrome.service import Service  # type: ignore[import-not-found]
from selenium.webdriver.common.by import By  # type: ignore[import-not-found]

# Picks a label in the labels bar, selects `needle` in the editor's text with a DOM Range
# (UTF-16 offsets, as the browser counts) and releases the mouse there, which is what
# Label Studio listens to.
SELECT = """
const [needle, label] = arguments;
const labelEl = Array.from(document.querySelectorAll('[class*="labels"] span'))
  .find(e => e.textContent.trim().startsWith(label));
if (!labelEl) return 'no label ' + label;
labelEl.click();
const root = document.querySelector('.lsf-richtext__container');
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
let node;
while ((node = walker.nextNode())) {
  const i = node.data.indexOf(needle);
  if (i >= 0) {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + needle.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    node.parentElement.dispatchEvent(
      new MouseEvent('mouseup', {bubbles: true, cancelable: true, view: window}));
    return 'selected';
  }
}
return 'not found ' + needle;
"""
HIGHLIGHTS = (
    "return Array.from(document.querySelectorAll('.lsf-richtext__container .htx-highlight'))"
    ".map(e => e.textContent);"
)
COUNT = "return document.querySelectorAll('.lsf-richtext__container .htx-highlight').length;"


def wait_for(driver: Any, script: str, seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for: {script}")


def main(
    base: str, project: str, email: str, password: str, show: str, task: str, picks: str
) -> None:
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    out: dict[str, Any] = {"highlights": {}}
    try:
        driver.get(base + "/user/login")
        driver.find_element(By.NAME, "email").send_keys(email)
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(driver, "return !location.pathname.startsWith('/user/login')")
        for task_id in show.split(","):
            driver.get(f"{base}/projects/{project}/data?task={task_id}")
            wait_for(driver, COUNT)
            time.sleep(1)  # every region drawn
            out["highlights"][task_id] = driver.execute_script(HIGHLIGHTS)
        driver.get(f"{base}/projects/{project}/data?task={task}")
        wait_for(driver, "return document.querySelector('.lsf-richtext__container')")
        time.sleep(1)
        for label, needle in json.loads(picks):
            result = driver.execute_script(SELECT, needle, label)
            if result != "selected":
                raise SystemExit(result)
            time.sleep(0.5)
        submit = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text == "Submit"]
        submit[0].click()
        time.sleep(3)  # the test polls the API for the annotation
    finally:
        driver.quit()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:8])
