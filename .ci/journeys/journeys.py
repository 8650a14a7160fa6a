#!/usr/bin/env python3
"""Browser journeys: real Chromium (headless) through Selenium against a running demo server.

Each journey is a person doing their work through the pages, checking at each step what the page says (in the
page's language, read from the locale files) and saving a screenshot. The whole loop runs twice: once on a phone
in Chinese without JavaScript, once at a desk in English with JavaScript, so every page is seen both ways.

    python3 .ci/journeys/journeys.py --base http://127.0.0.1:18480 --accounts accounts.txt --out artefacts/
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "Sources/GongzhiWeb/Resources/Locales"
PASSWORD = "journey-passphrase-2026"
# Pages must stay small: the budget for every page before images.
PAGE_BUDGET = 50 * 1024


def load_words(lang):
    words = {}
    for f in sorted((LOCALES / lang).glob("*.json")):
        words.update(json.loads(f.read_text(encoding="utf-8")))
    return words


def read_accounts(path):
    """The demo prints `  name  password  role @ place` for each account."""
    accounts = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s{2}(\S+)\s+(demo-\S+)\s+(\S+) @ (.+)$", line)
        if m:
            accounts[m.group(1)] = {"password": m.group(2), "role": m.group(3), "where": m.group(4)}
    return accounts


class Failure(Exception):
    pass


def gone(element):
    """Whether a page's element belongs to a page no longer shown: Chromium answers either "stale element" or "node
    does not belong to the document" for it."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def retried(action, attempts=5):
    """Chromium sometimes answers about a document swapped in a moment ago ("node does not belong to the
    document"); a second look at the new document is what a person would do too."""
    for attempt in range(attempts):
        try:
            return action()
        except WebDriverException as e:
            if isinstance(e, Failure) or attempt == attempts - 1:
                raise
            time.sleep(0.3)


class Run:
    """One browser: a size, a language, JavaScript on or off."""

    def __init__(self, base, out, name, lang, width, height, js):
        self.base, self.name, self.lang = base, name, lang
        self.words = load_words("zh-Hans" if lang == "zh" else "en")
        self.out = Path(out) / name
        self.out.mkdir(parents=True, exist_ok=True)
        self.width, self.height, self.js = width, height, js
        self.shots = 0
        o = webdriver.ChromeOptions()
        o.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  f"--window-size={width},{height}", "--hide-scrollbars"]:
            o.add_argument(a)
        accept = "zh-CN,zh" if lang == "zh" else "en"
        o.add_argument(f"--lang={accept.split(',')[0]}")
        o.add_experimental_option("prefs", {"intl.accept_languages": accept})
        if not js:
            o.add_argument("--blink-settings=scriptEnabled=false")
        self.d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=o)
        self.d.set_page_load_timeout(30)

    def t(self, key, *args):
        text = self.words[key]
        for i, a in enumerate(args):
            text = text.replace("{%d}" % i, str(a))
        return text

    # --- pages -------------------------------------------------------------------------------------------------

    def get(self, path):
        self.d.get(self.base + path)
        self.check_page()

    def check_page(self):
        retried(self._check_page)

    def _check_page(self):
        html = self.d.page_source
        size = len(html.encode("utf-8"))
        if size > PAGE_BUDGET:
            raise Failure(f"{self.d.current_url}: {size} bytes, over the {PAGE_BUDGET}-byte budget")
        if "500" in self.d.title or "Internal Server Error" in html:
            raise Failure(f"{self.d.current_url}: server error")
        # Untranslated keys show as snake_case words in the page text.
        body = self.d.find_element(By.TAG_NAME, "body").text
        raw = re.findall(r"\b(?:case|report|home|queue|audit|error)_[a-z_]+\b", body)
        if raw:
            raise Failure(f"{self.d.current_url}: untranslated keys {sorted(set(raw))[:5]}")

    def body(self):
        return retried(lambda: self.d.find_element(By.TAG_NAME, "body").text)

    def expect(self, *texts):
        body = self.body()
        for text in texts:
            if text not in body:
                self.shot("FAILED")
                raise Failure(f"{self.d.current_url}: expected {text!r} on the page")

    def expect_not(self, *texts):
        body = self.body()
        for text in texts:
            if text in body:
                self.shot("FAILED")
                raise Failure(f"{self.d.current_url}: did not expect {text!r} on the page")

    def shot(self, label):
        self.shots += 1
        h = self.d.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        self.d.set_window_size(self.width, max(self.height, min(int(h or self.height) + 40, 4000)))
        path = self.out / f"{self.shots:02d}-{label}.png"
        self.d.save_screenshot(str(path))
        self.d.set_window_size(self.width, self.height)
        return path

    def navigate(self, action):
        """Runs `action` (a click, a submit) and waits for the next page to load before reading it."""
        old = retried(lambda: self.d.find_element(By.TAG_NAME, "html"))
        retried(action)
        WebDriverWait(self.d, 30).until(lambda _: gone(old))
        WebDriverWait(self.d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.check_page()

    def choose(self, by, selector):
        """Clicks a radio button or checkbox; a document swapped in a moment ago may need a second look."""
        for attempt in range(5):
            try:
                self.d.find_element(by, selector).click()
                return
            except WebDriverException:
                if attempt == 4:
                    raise
                time.sleep(0.3)

    def submit(self, form_selector, button_selector="button[type=submit]"):
        self.navigate(
            lambda: self.d.find_element(By.CSS_SELECTOR, form_selector)
            .find_element(By.CSS_SELECTOR, button_selector).click())

    def follow_link(self, text):
        self.navigate(lambda: self.d.find_element(By.LINK_TEXT, text).click())

    def submit_field(self, name):
        self.navigate(lambda: self.d.find_element(By.CSS_SELECTOR, f"main [name='{name}']").submit())

    def fill(self, name, text, within="main"):
        def typing():
            el = self.d.find_element(By.CSS_SELECTOR, f"{within} [name='{name}']")
            el.clear()
            el.send_keys(text)
        retried(typing)

    # --- people ------------------------------------------------------------------------------------------------

    def log_in(self, username, password):
        self.d.delete_all_cookies()
        self.get("/login")
        self.fill("username", username)
        self.fill("password", password)
        self.submit_field("password")
        if "/login" in self.d.current_url:
            self.shot("login-failed")
            raise Failure(f"log-in as {username} failed")

    def quit(self):
        self.d.quit()


def case_id_from(url):
    m = re.search(r"/cases/(\d+)", url)
    if not m:
        raise Failure(f"no case id in {url}")
    return int(m.group(1))


def journeys(run, accounts, tag, readme_dir=None):
    t = run.t
    # 1. A visitor signs up in 南头城社区 at a building of 第1网格 and reports a problem through every question page.
    run.d.delete_all_cookies()
    run.get("/signup")
    run.expect(t("signup_title"))
    Select(run.d.find_element(By.NAME, "community")).select_by_visible_text("南头城社区")
    run.submit("main form")
    building = run.d.find_element(By.CSS_SELECTOR, "select[name='building'] optgroup[label='第1网格'] option")
    building_name = building.text
    Select(run.d.find_element(By.NAME, "building")).select_by_visible_text(building_name)
    username = f"visitor{tag}"
    run.fill("display_name", "周" + tag)
    run.fill("username", username)
    run.fill("password", PASSWORD)
    run.shot("signup")
    run.submit("main form")
    run.expect(t("home_report"))
    run.shot("resident-home")

    run.follow_link(t("home_report"))
    run.expect(t("report_step", 1, 5), t("report_q_kind"))
    run.submit("form.question")  # nothing chosen: the message stands beside the question
    run.expect(t("error.report_kind_required"))
    run.shot("report-kind-error")
    run.choose(By.XPATH, "//label[contains(., '路灯照明')]/input")
    run.shot("report-kind")
    run.submit("form.question")
    run.expect(t("report_step", 2, 5), t("report_q_place"), building_name)
    run.shot("report-place")
    # Where: a tap near the middle of the map. Without JavaScript it is the server-drawn picture (an <input
    # type=image>); with it, and with Leaflet installed and a tile service configured, a Leaflet map.
    leaflet = run.d.find_elements(By.CSS_SELECTOR, ".map-leaflet.leaflet-container")
    if leaflet:
        run.shot("report-place-leaflet")
        run.navigate(lambda: ActionChains(run.d).move_to_element(
            run.d.find_element(By.CSS_SELECTOR, ".map-leaflet")).click().perform())
    else:
        if os.path.exists("/usr/share/javascript/leaflet/leaflet.js") and run.js:
            raise Failure("Leaflet is installed and tiles are configured, but the map stayed a picture")
        run.navigate(lambda: ActionChains(run.d).move_to_element(
            run.d.find_element(By.CSS_SELECTOR, "input[type=image][name=map]")).click().perform())
    run.expect(t("map_picked"))
    run.shot("report-place-tapped")
    if readme_dir and run.width < 500:
        readme_dir.mkdir(parents=True, exist_ok=True)
        run.shot("readme-report-place").replace(readme_dir / "resident-report-phone.png")
    run.submit("form.question", "div.actions button.button")
    run.expect(t("report_step", 3, 5), t("report_q_details"))
    title = f"路灯不亮 {tag}"
    run.fill("title", title)
    run.fill("description", "楼下路灯连续三晚不亮，老人晚上出门看不清路。")
    run.shot("report-details")
    run.submit("form.question", "div.actions button.button")
    run.expect(t("report_step", 4, 5), t("report_q_visibility"))
    run.choose(By.CSS_SELECTOR, "input[name='public'][value='1']")
    run.submit("form.question")
    run.expect(t("report_q_check"), "路灯照明", title, t("report_public_yes"), "南头城社区")
    run.shot("report-check")
    run.submit("form[action='/report/send']")
    run.expect(t("report_sent_title"), t("report_next_heading"))
    number = retried(lambda: run.d.find_element(By.CSS_SELECTOR, ".case-number").text.strip())
    run.shot("report-sent")
    run.follow_link(t("report_sent_view"))
    case_id = case_id_from(run.d.current_url)
    run.expect(number, title)

    # 2. The community worker files and dispatches it by the routing rule, from the queue on their home page.
    worker = accounts["worker"]
    run.log_in("worker", worker["password"])
    run.expect(t("queue_to_file"))
    run.shot("worker-home")
    if readme_dir and run.width >= 1000:
        readme_dir.mkdir(parents=True, exist_ok=True)
        run.shot("readme-worker-queue").replace(readme_dir / "worker-queue-desk.png")
    run.get(f"/cases/{case_id}")
    run.expect(title, t("case_step_file"))
    run.submit("form[action$='/file']")
    run.expect(t("case_status_filed"))
    run.submit("form[action$='/dispatch']")
    run.expect(t("case_status_dispatched"))
    run.shot("worker-dispatched")
    unit = run.d.find_element(By.XPATH, f"//dt[normalize-space()='{t('case_unit')}']/following-sibling::dd[1]").text

    # 3. A handler of that unit takes it on and reports back.
    handler = next(
        (name for name, a in accounts.items() if a["role"] == "departmentHandler" and a["where"].endswith("for " + unit)),
        None)
    if handler is None:
        raise Failure(f"no demo handler for unit {unit}")
    run.log_in(handler, accounts[handler]["password"])
    run.get(f"/cases/{case_id}")
    run.submit("form[action$='/accept_handling']")
    run.expect(t("case_status_handling"))
    run.fill("note", "已更换灯泡并检查线路。", within="form[action$='/report_back']")
    run.submit("form[action$='/report_back']")
    run.expect(t("case_status_reportedBack"))
    run.shot("unit-reported-back")

    # 4. The grid worker verifies on site.
    run.log_in("gridworker", accounts["gridworker"]["password"])
    run.get(f"/cases/{case_id}")
    run.fill("note", "现场查看，路灯已亮。", within="form[action$='/verify']")
    run.submit("form[action$='/verify']", "button[value='true']")
    run.expect(t("case_status_closed"))
    run.shot("grid-verified")

    # 5. The resident is asked to rate at the top of the case page, and rates.
    run.log_in(username, PASSWORD)
    run.get(f"/cases/{case_id}")
    run.expect(t("case_rate_prompt"))
    run.shot("resident-rate")
    run.choose(By.CSS_SELECTOR, "form[action$='/rate'] input[value='satisfied']")
    run.submit("form[action$='/rate']")
    run.expect(t("case_rating_satisfied"))
    run.shot("resident-rated")

    # 6. Another resident finds the public report by its number and follows it.
    run.log_in("resident", accounts["resident"]["password"])
    run.get("/reports")
    run.fill("number", number)
    run.submit_field("number")
    run.expect(title, t("case_status_closed"))
    run.expect_not("周" + tag)  # never who reported it
    run.submit("form[action$='/follow']")
    run.expect(t("reports_done_follow"))
    run.shot("neighbour-follows")

    # 7. The administrator makes the visitor a building head of their building, found by name.
    run.log_in("admin", accounts["admin"]["password"])
    run.get("/admin/users")
    run.shot("admin-users")
    run.navigate(lambda: run.d.find_element(By.XPATH, f"//a[contains(., '{username}') or contains(., '周{tag}')]").click())
    run.fill("place_q", building_name)
    run.submit_field("place_q")
    Select(run.d.find_element(By.NAME, "role")).select_by_value("buildingHead")
    node = run.d.find_element(By.NAME, "node")
    if node.tag_name == "select":
        option = run.d.find_element(By.XPATH, f"//select[@name='node']/option[contains(., '{building_name}')]")
        Select(node).select_by_value(option.get_attribute("value"))
    else:
        run.choose(By.XPATH, f"//label[contains(., '{building_name}')]/input")
    run.submit(f"form[action$='/grant']")
    run.expect(t("role_buildingHead"))
    run.shot("admin-granted")

    # 8. The auditor filters the log to the grant just made, by action and by the person who made it.
    run.log_in("auditor", accounts["auditor"]["password"])
    run.get("/audit")
    run.expect(t("audit_title"))
    Select(run.d.find_element(By.NAME, "action")).select_by_visible_text(t("audit_action_role_grant"))
    run.fill("person", "admin")
    run.submit_field("person")
    run.expect(t("audit_action_role_grant"), t("role_buildingHead"))
    run.shot("auditor-filtered")

    # 9. The grid worker finds a resident of their grid in the registry by part of the name, and sees the ID
    #    number in full only after giving a reason.
    run.log_in("gridworker", accounts["gridworker"]["password"])
    run.get("/registry")
    run.expect(t("registry_title"), "****")
    first = run.d.find_element(By.CSS_SELECTOR, "main .case-cards a.card-link").text
    run.fill("q", first[:2])
    run.submit_field("q")
    run.expect(first)
    run.shot("registry-search")
    run.navigate(lambda: run.d.find_element(By.XPATH, f"//main//a[normalize-space()='{first}']").click())
    run.expect(t("person_reveal_title"), "********")
    run.fill("reason", "上门走访核对身份", within="form[action$='/reveal']")
    run.submit_field("reason")
    run.expect_not("********")
    run.shot("registry-revealed")
    return number


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--accounts", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--readme", help="folder to write the README's screenshots into")
    args = p.parse_args()
    accounts = read_accounts(args.accounts)
    for needed in ["admin", "auditor", "worker", "gridworker", "resident"]:
        if needed not in accounts:
            sys.exit(f"account {needed} missing from {args.accounts}")
    readme = Path(args.readme) if args.readme else None
    started = time.time()
    failures = 0
    for name, lang, (w, h), js in [("phone-zh", "zh", (390, 844), False), ("desk-en", "en", (1280, 900), True)]:
        run = Run(args.base, args.out, name, lang, w, h, js)
        try:
            number = journeys(run, accounts, tag=name.split("-")[0] + str(int(started) % 10000), readme_dir=readme)
            print(f"{name}: every journey passed ({run.shots} screenshots, case {number})")
        except (Failure, WebDriverException) as e:
            failures += 1
            run.shot("FAILED")
            print(f"{name}: FAILED at {run.d.current_url}: {str(e).splitlines()[0]}", file=sys.stderr)
            import traceback
            print("".join(l for l in traceback.format_exc().splitlines(True) if "journeys.py" in l), file=sys.stderr)
        finally:
            run.quit()
    print(f"journeys took {time.time() - started:.0f} s; screenshots in {args.out}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
