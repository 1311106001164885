// `hmip6 replay --html`: the page of a real counterexample, rendered by headless Chromium (the
// Debian package, driven by playwright-core; never a downloaded browser): its elements, its
// clicks, no console error, no request leaving the file, and a screenshot.
// HMIP6_UPDATE_SCREENSHOT=1 also writes the README's screenshot (docs/img/replay-html.png)
// from the committed example counterexample.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCounterexample } from '../../properties/counterexample.js';
import { escapeHtml, storyHtml } from '../../properties/story/html.js';
import { replayStory } from '../../properties/story/replay.js';
import { mutantByName } from '../../properties/mutants/bank/index.js';
import { appendixC } from './fixtures.js';

const CHROMIUM = process.env.HMIP6_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const bank = [mutantByName('activates-without-challenge')?.factory].filter((f) => f !== undefined);

type Playwright = typeof import('playwright-core');

async function playwright(): Promise<Playwright | null> {
  try {
    return await import('playwright-core');
  } catch {
    return null;
  }
}

describe('the HTML view', () => {
  it('escapes_every_text', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });

  it('page_is_self_contained', async () => {
    const html = storyHtml(replayStory((await appendixC()).file, { bank }).story);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain("default-src 'none'");
  });

  it('chromium_renders_the_diagram_and_the_state_panel_follows_clicks', async (context) => {
    const pw = await playwright();
    if (pw === null || !existsSync(CHROMIUM)) {
      context.skip(`needs playwright-core and Chromium at ${CHROMIUM} (.ci/run installs the Debian package)`);
      return;
    }
    const { story } = replayStory((await appendixC()).file, { bank });
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-html-'));
    const page1 = join(dir, 'cx.html');
    writeFileSync(page1, storyHtml(story));
    const browser = await pw.chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(page1).href);

      // Lanes: Alice, every peer of the run, Mallory, and the network.
      const lanes = await page.locator('#lane-heads .lane-name').allTextContents();
      expect(lanes).toEqual([...story.nodes.map((n) => n[0].toUpperCase() + n.slice(1)), 'network']);
      // One band per step, the failing one in red; one arrow per packet line.
      expect(await page.locator('g.band').count()).toBe(story.steps.length);
      expect(await page.locator('g.band.failing').getAttribute('data-step')).toBe(String(story.failingStep));
      const arrows = story.steps.reduce((n, s) => n + s.lines.filter((l) => l.kind === 'packet').length, 0);
      expect(await page.locator('g.arrow').count()).toBe(arrows);
      expect(await page.locator('g.arrow.failing').count()).toBeGreaterThan(0);
      expect(await page.locator('#steps li').count()).toBe(story.steps.length);
      expect(await page.locator('#steps li.failing').textContent()).toMatch(/time passes: \d+ ms/);

      // At first the failing step's tables show, with the new row highlighted.
      const failing = page.locator(`section.state[data-step="${story.failingStep}"]`);
      expect(await failing.isVisible()).toBe(true);
      expect(await failing.locator('.failure').textContent()).toContain('INV-ACTIVE-VERIFIED');
      expect(await failing.locator('table.state-table tr.added').count()).toBe(2);
      expect(await failing.locator('tr.added td').allTextContents()).toContain('2001:db8:b::1');

      // A click on a step in the list shows that step's tables instead.
      await page.locator('#steps li[data-step="1"]').click();
      expect(await page.locator('section.state[data-step="1"]').isVisible()).toBe(true);
      expect(await failing.isVisible()).toBe(false);
      expect(await page.locator('g.band[data-step="1"]').getAttribute('class')).toContain('selected');

      // A click on an arrow shows the packet, decoded and in hex.
      const claim = story.steps[1].lines.find((l) => l.kind === 'packet');
      expect(claim?.kind).toBe('packet');
      if (claim?.kind !== 'packet') return;
      await page.locator(`g.arrow[data-packet="${claim.packet}"]`).click();
      const detail = page.locator(`section.packet[data-packet="${claim.packet}"]`);
      expect(await detail.isVisible()).toBe(true);
      expect(await detail.textContent()).toContain('BU claims 2001:db8:b::1');
      expect(await detail.locator('pre.hex').textContent()).toMatch(/^0000 {2}60 00 00 00/);

      // The keyboard moves between steps.
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('body').getAttribute('data-step')).toBe('2');

      const shot = join(dir, 'cx.png');
      await page.locator('#steps li.failing').click();
      await page.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');

      expect(problems).toEqual([]);
      expect(requests.every((u) => u.startsWith('file://'))).toBe(true);

      if (process.env.HMIP6_UPDATE_SCREENSHOT === '1') {
        const text = readFileSync(
          join(ROOT, 'examples/counterexamples/appendix-c-activates-without-challenge.json'),
          'utf8',
        );
        const example = join(dir, 'example.html');
        writeFileSync(example, storyHtml(replayStory(parseCounterexample(text), { bank }).story));
        await page.goto(pathToFileURL(example).href);
        mkdirSync(join(ROOT, 'docs/img'), { recursive: true });
        await page.screenshot({ path: join(ROOT, 'docs/img/replay-html.png') });
      }
    } finally {
      await browser.close();
    }
  });
});
