// keruen's web UI in real headless Chromium (issue 5). Builds a demo database with
// `keruen demo --no-serve`, adds an editor, starts `keruen serve` on a free port,
// drives Debian's /usr/bin/chromium with playwright-core through the scenarios
// below, saves screenshots of the main pages to docs/screenshots/, and exits
// non-zero if any scenario fails. Run it with scripts/test-browser.sh, or:
//   KERUEN_BIN=target/debug/keruen node tests/browser/run.mjs
import { chromium } from "playwright-core";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = resolve(root, process.env.KERUEN_BIN || "target/debug/keruen");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = join(root, "docs", "screenshots");
const PASSWORD = "browser-test-password";
mkdirSync(shots, { recursive: true });

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

function run(args, input) {
  const r = spawnSync(bin, args, { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`keruen ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function waitUntilServing(base, server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`keruen serve exited with ${server.exitCode}`);
    try { if ((await fetch(base + "/api/v1/stats")).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("keruen serve did not answer within 30 s");
}

const tmp = mkdtempSync(join(tmpdir(), "keruen-browser-"));
const db = join(tmp, "demo.db");
run(["demo", "--no-serve", "--out", db]);
run(["--db", db, "users", "add", "curator", "--role", "editor", "--password-stdin"], PASSWORD + "\n");
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ["--db", db, "serve", "--bind", `127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "inherit"] });
let failures = 0, passes = 0;
const problems = [];
let browser;
try {
  await waitUntilServing(base, server);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-GB" });
  const page = await context.newPage();
  // Any script error or CSP violation fails the run.
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  // Nothing may come from another origin.
  page.on("request", (r) => { if (!r.url().startsWith(base)) problems.push(`request to another origin: ${r.url()}`); });

  const scenario = async (name, fn) => {
    const before = problems.length;
    try {
      await fn();
      if (problems.length > before) throw new Error(problems.slice(before).join("; "));
      passes++;
      console.log(`ok ${name}`);
    } catch (e) {
      failures++;
      console.log(`FAIL ${name}: ${e.stack || e}`);
      await page.screenshot({ path: join(tmp, `failed-${name.replace(/\W+/g, "-")}.png`) }).catch(() => {});
    }
  };
  const expect = (cond, what) => { if (!cond) throw new Error(what); };
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`) });

  await scenario("home page", async () => {
    await page.goto(base + "/");
    expect((await page.locator("h1").textContent()).length > 0, "no title");
    expect(await page.locator(".cards a.card").count() >= 5, "no cards");
    await shot("home");
  });

  await scenario("search, an event, its source with highlighted spans", async () => {
    await page.goto(base + "/");
    await page.fill("#q", "Самарканд");
    await Promise.all([page.waitForURL(/\/search\?/), page.press("#q", "Enter")]);
    expect(await page.locator("ol.events li").count() > 0, "no results for Самарканд");
    expect(await page.locator("ol.events mark").count() > 0, "no highlighted hit");
    expect(await page.locator(".facet").count() >= 3, "no facets");
    await shot("search");
    // The extracted candidates, then one of them, then its source.
    await page.check("input[name=candidates]");
    await Promise.all([page.waitForURL(/candidates=true/), page.press("#q", "Enter")]);
    const candidate = page.locator("ol.events li:has(.r-candidate) a.title").first();
    expect(await candidate.count() === 1, "no candidate event among the results");
    await Promise.all([page.waitForURL(/\/events\//), candidate.click()]);
    expect(await page.locator("article.evidence").count() > 0, "no evidence on the event page");
    await shot("event");
    await Promise.all([page.waitForURL(/\/sources\/.*#ev-/), page.locator("article.evidence a").first().click()]);
    for (const kind of ["entity", "timex"]) {
      expect(await page.locator(`#text .hl-${kind}`).count() > 0, `no ${kind} highlighted`);
    }
    expect(await page.locator("#text a.ev-mark").count() > 0, "no event marks in the text");
    // The event's mark is the target of the link, and visible.
    const target = await page.evaluate(() => decodeURIComponent(location.hash.slice(1)));
    expect(await page.locator(`[id="${target}"]`).isVisible(), "the event's span is not shown");
    // Turning a kind of highlight off works.
    await page.uncheck("input[data-toggle=entity]");
    expect(await page.evaluate(() => document.body.classList.contains("hide-entity")), "toggle did nothing");
    await page.check("input[data-toggle=entity]");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot("source");
  });

  await scenario("timeline renders and zooms by dragging", async () => {
    await page.goto(base + "/timeline");
    const bars = await page.locator("#timeline rect[class^='t-']").count();
    expect(bars > 10, `only ${bars} bars`);
    await shot("timeline");
    const box = await page.locator("#timeline").boundingBox();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.5, { steps: 5 });
    await Promise.all([page.waitForURL(/from=\d+&to=\d+|to=\d+.*from=\d+/), page.mouse.up()]);
    const zoomed = await page.locator("#timeline rect[class^='t-']").count();
    expect(zoomed > 0 && zoomed < bars, `zoom kept ${zoomed} of ${bars} bars`);
  });

  await scenario("map renders countries and places", async () => {
    await page.goto(base + "/map");
    expect(await page.locator("#map path.land").count() >= 10, "no country shapes");
    expect(await page.locator("#map circle.place").count() >= 5, "no places");
    const box = await page.locator("#map").boundingBox();
    expect(box.width > 500 && box.height > 300, "map too small");
    const before = await page.getAttribute("#map", "viewBox");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((b) => document.querySelector("#map").getAttribute("viewBox") !== b, before);
    await page.goto(base + "/map");
    await shot("map");
  });

  await scenario("network renders and highlights links", async () => {
    await page.goto(base + "/network");
    expect(await page.locator("#network circle.node").count() >= 10, "no nodes");
    expect(await page.locator("#network .edges line").count() >= 10, "no edges");
    await page.locator("#network .nodes a").first().hover();
    expect(await page.evaluate(() => document.querySelector("#network").classList.contains("focus")), "no highlight on hover");
    await page.mouse.move(0, 0);
    await shot("network");
  });

  await scenario("matrix and calendar render", async () => {
    await page.goto(base + "/matrix");
    expect(await page.locator("#matrix rect:not(.q0)").count() > 10, "empty heatmap");
    await shot("matrix");
    await page.goto(base + "/calendar?from=2026&to=2030");
    expect(await page.locator("section.month, li.cal-jubilee").count() > 0, "empty calendar");
    const feed = await page.inputValue("#ics-url");
    expect(feed.startsWith(base + "/calendar.ics?"), `feed address ${feed}`);
    const ics = await (await fetch(feed)).text();
    expect(ics.startsWith("BEGIN:VCALENDAR"), "the feed is not iCalendar");
    await shot("calendar");
  });

  await scenario("a curator accepts a candidate with the keyboard", async () => {
    await page.goto(base + "/review");
    expect(page.url().includes("/login"), "the queue asks to sign in");
    await page.fill("input[name=name]", "curator");
    await page.fill("input[name=password]", PASSWORD);
    await Promise.all([page.waitForURL(/\/review$/), page.click("form.login button")]);
    const first = page.locator("ol.queue li.item").first();
    const id = await first.getAttribute("data-id");
    expect(id, "the queue is empty");
    await shot("review");
    await page.keyboard.press("a");
    await page.waitForSelector(`li.item.done[data-id="${id}"]`);
    const ev = await (await fetch(`${base}/api/v1/events/${encodeURIComponent(id)}`)).json();
    expect(ev.review === "accepted", `event ${id} is ${ev.review}`);
    // The next item is selected; j moves on, r rejects it.
    const second = page.locator("ol.queue li.item[aria-selected=true]");
    const id2 = await second.getAttribute("data-id");
    expect(id2 && id2 !== id, "the next item was not selected");
    await page.keyboard.press("r");
    await page.waitForSelector(`li.item.done[data-id="${id2}"]`);
    const ev2 = await (await fetch(`${base}/api/v1/events/${encodeURIComponent(id2)}`)).json();
    expect(ev2.review === "rejected", `event ${id2} is ${ev2.review}`);
  });

  await scenario("the Russian switch", async () => {
    await page.goto(base + "/search?q=Almaty");
    await Promise.all([page.waitForURL(/lang=ru/), page.click("a[data-lang=ru]")]);
    expect((await page.getAttribute("html", "lang")) === "ru", "html lang is not ru");
    expect((await page.locator("nav.main").textContent()).includes("Хронология"), "the menu is not Russian");
    expect((await page.locator("main").textContent()).includes("Алматы"), "names are not Russian");
    await page.goto(base + "/events/demo-0001");
    expect((await page.locator("main").textContent()).includes("Участники"), "the choice was not remembered");
    await page.goto(base + "/");
    await shot("home-ru");
    await page.goto(base + "/?lang=en");
  });
} catch (e) {
  failures++;
  console.log(`FAIL setup: ${e.stack || e}`);
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
  if (failures === 0) rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp} (database and screenshots of failures)`);
}
console.log(`browser: ${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
