// Loads the docs page in headless Chromium (playwright-core, Debian's /usr/bin/chromium) and
// reports what a person would see: every request made, any that failed, console errors, the
// operations listed. Saves a screenshot. Usage: node docs_check.mjs BASE_URL SCREENSHOT [CHROMIUM]
import { chromium } from "playwright-core";

const [base, screenshot, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
const report = { requests: [], failed: [], consoleErrors: [], operations: [], title: "" };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on("request", (request) => report.requests.push(request.url()));
  page.on("requestfailed", (request) =>
    report.failed.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) report.failed.push(`${response.url()}: HTTP ${response.status()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") report.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => report.consoleErrors.push(String(error)));
  await page.goto(`${base}/docs`, { waitUntil: "networkidle" });
  await page.waitForSelector(".opblock-summary-operation-id, .opblock", { timeout: 30000 });
  report.title = await page.title();
  report.operations = await page.$$eval(".opblock-summary-path", (nodes) =>
    nodes.map((node) => node.getAttribute("data-path") || node.textContent.trim()),
  );
  report.operationIds = await page.$$eval(".opblock-summary-operation-id", (nodes) =>
    nodes.map((node) => node.textContent.trim()),
  );
  await page.screenshot({ path: screenshot, fullPage: false });
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
