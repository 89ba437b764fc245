// The demo's replies beyond plain text, in headless Chromium against the local server
// (tests/demo/harness.mjs): Markdown rendered as views (never as HTML), extended thinking
// streamed and folded, redacted thinking, and the figures under each reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDemo, replyDone, screenshot, watchShifts } from './harness.mjs';

/** The API's documented test string for redacted thinking (the local server honours it). */
const REDACTED_TRIGGER = 'ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253';

test('a Markdown reply is rendered as it streams, safely, with copyable code and a plain-text toggle', async () => {
  const { page, problems } = await openDemo();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.fill('#message', 'Show me some Markdown');
  await watchShifts(page);
  await page.click('#send');
  // While it streams, the code block is a code block already (its fence still open).
  await page.locator('.turn.live .code-block').waitFor();
  await screenshot(page, '15-markdown-streaming');
  await replyDone(page, 1);
  const reply = page.locator('.turn.assistant').last();
  const markdown = reply.locator('.markdown');
  assert.equal(await markdown.locator('h4').innerText(), 'A Markdown sample');
  assert.equal(await markdown.locator('strong').innerText(), 'bold');
  assert.equal(await markdown.locator('em').innerText(), 'italic');
  assert.equal(await markdown.locator('del').innerText(), 'struck');
  assert.deepEqual(await markdown.locator('ol > li').allInnerTexts(), ['first', 'second']);
  assert.deepEqual(await markdown.locator('ul input[type=checkbox]').evaluateAll((boxes) => boxes.map((b) => b.checked)), [true, false]);
  assert.equal(await markdown.locator('blockquote').innerText(), 'A quotation.');
  const link = markdown.locator('a[href="https://docs.anthropic.com"]');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
  assert.equal(await link.getAttribute('target'), '_blank');
  // The model's HTML is text: the table cell shows it, and no <b> element exists.
  assert.equal(await markdown.locator('td').last().innerText(), 'as text');
  assert.match(await markdown.locator('table').innerText(), /HTML like <b>this<\/b>/);
  assert.equal(await markdown.locator('b').count(), 0);
  // The code block: its language, its code, and a copy button that copies exactly the code.
  const code = markdown.locator('.code-block');
  assert.equal(await code.locator('.language').innerText(), 'rust');
  const source = await code.locator('pre code').innerText();
  assert.match(source, /^fn main\(\) \{\n {4}println!\("Hello from the devserver"\);\n\}\n?$/);
  await code.getByRole('button', { name: 'Copy the code' }).click();
  assert.equal(await code.getByRole('button', { name: 'Copy the code' }).innerText(), 'Copied');
  assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trimEnd(), source.trimEnd());
  const shifts = await page.evaluate(() => window.shifts);
  assert.ok(shifts.reduce((sum, value) => sum + value, 0) < 0.01, `layout shifts while streaming: ${shifts}`);
  await screenshot(page, '16-markdown');
  // Plain text: the reply as the model wrote it; and back.
  await reply.getByRole('button', { name: 'Plain text' }).click();
  const plain = await reply.locator('.text.plain .continuation').innerText();
  assert.match(plain, /## A Markdown sample/);
  assert.match(plain, /```rust\n/);
  assert.match(plain, /\| HTML like <b>this<\/b> \| as text \|/);
  assert.equal(await reply.locator('.markdown').count(), 0);
  await screenshot(page, '17-markdown-plain');
  await reply.getByRole('button', { name: 'Formatted' }).click();
  assert.equal(await reply.locator('.markdown h4').count(), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('thinking streams live in an open block, folds once done, and goes back with the next turn', async () => {
  const { page, problems } = await openDemo();
  await page.check('#thinking');
  assert.equal(await page.inputValue('#thinking-budget'), '1024');
  assert.equal(await page.inputValue('#max-tokens'), '2048', 'max tokens raised above the budget');
  await page.fill('#message', 'Hello there');
  await page.click('#send');
  const live = page.locator('.turn.live details.thinking');
  await page.waitForFunction(() => (document.querySelector('.turn.live .thinking-text')?.textContent.length ?? 0) > 20);
  assert.equal(await live.evaluate((details) => details.open), true, 'open while it streams');
  assert.match(await live.locator('summary').innerText(), /^Thinking… \(\d+ words\)$/);
  await screenshot(page, '18-thinking-streaming');
  await replyDone(page, 1);
  const done = page.locator('.turn.assistant details.thinking');
  assert.equal(await done.evaluate((details) => details.open), false, 'folded once done');
  assert.match(await done.locator('summary').innerText(), /^Thinking \(\d+ words\)$/);
  await done.locator('summary').click();
  assert.match(await done.locator('.thinking-text').innerText(), /The user wrote 2 words: "Hello there"/);
  assert.match(await page.locator('.turn.assistant .continuation').innerText(), /Hello there/);
  await screenshot(page, '19-thinking-done');
  // The thinking block, with its signature, is part of the conversation: the server checks it.
  await page.fill('#message', 'And again');
  await page.click('#send');
  await replyDone(page, 2);
  assert.equal(await page.locator('#error').count(), 0);
  assert.match(await page.locator('.turn.assistant .continuation').last().innerText(), /message number 2/);
  // Redacted thinking: shown as such, and sent back unchanged.
  await page.fill('#message', `Hello ${REDACTED_TRIGGER}`);
  await page.click('#send');
  await replyDone(page, 3);
  const redacted = page.locator('.turn.assistant').last().locator('.thinking.redacted');
  assert.match(await redacted.innerText(), /^Redacted thinking \(1 block\): encrypted by the API's safety systems/);
  await page.fill('#message', 'Thanks');
  await page.click('#send');
  await replyDone(page, 4);
  assert.equal(await page.locator('#error').count(), 0);
  await screenshot(page, '20-thinking-redacted');
  assert.deepEqual(problems, []);
  await page.close();
});

test('each reply shows its first token time, speed, bytes, retries and arrival chart', async () => {
  const { page, problems } = await openDemo();
  await page.fill('#message', 'Tell me a story about figures');
  await page.click('#send');
  await page.waitForFunction(() => /first token \d+ ms · \d+ deltas/.test(document.querySelector('.turn.live .figures-text')?.textContent ?? ''));
  await replyDone(page, 1);
  const figures = await page.locator('.turn.assistant .figures-text').innerText();
  const match = figures.match(/^first token (\d+) ms · ([\d.]+) tokens\/s · ([\d.]+) (B|kB) · no retries$/);
  assert.ok(match, figures);
  // The server streams 40 tokens a second: the measured speed is near it.
  const speed = Number(match[2]);
  assert.ok(speed > 20 && speed < 60, `${speed} tokens/s`);
  const kilobytes = Number(match[3]) / (match[4] === 'B' ? 1000 : 1);
  assert.ok(kilobytes > 1, `${kilobytes} kB`);
  const chart = page.locator('.turn.assistant svg.arrivals');
  assert.match(await chart.getAttribute('aria-label'), /^Token arrival: \d+ deltas, the first at \d+ ms, over [\d.]+ s$/);
  const points = (await chart.locator('polyline').getAttribute('points')).split(' ').map((p) => p.split(',').map(Number));
  assert.ok(points.length > 10, `${points.length} points`);
  for (let i = 1; i < points.length; i++) {
    assert.ok(points[i][0] >= points[i - 1][0] && points[i][1] <= points[i - 1][1], 'time goes right, deltas go up');
  }
  await screenshot(page, '21-figures');
  // A retried request counts its retry.
  await page.selectOption('#fault', 'fail-first=1');
  await page.fill('#message', 'Hello again');
  await page.click('#send');
  await replyDone(page, 2);
  assert.match(await page.locator('.turn.assistant .figures-text').last().innerText(), / · 1 retry$/);
  assert.deepEqual(problems.filter((text) => !/status of 529/.test(text)), []);
  await page.close();
});

test('with the demo tools on, the tool runner runs the calls in the page and each call and result is a turn', async () => {
  const { page, problems } = await openDemo();
  await page.check('#tools');
  await page.fill('#message', 'Use the calculator to multiply 6 by 7');
  await page.click('#send');
  await replyDone(page, 2);
  const roles = await page.locator('.turn .role').allInnerTexts();
  assert.deepEqual(roles, ['You', 'Claude', 'Tools', 'Claude']);
  const call = await page.locator('.tool-call').innerText();
  const [, name, json] = call.match(/^Calls (\w+) (\{.*\})$/);
  assert.equal(name, 'calculator');
  const input = JSON.parse(json);
  assert.equal(input.operation, 'multiply');
  const product = input.a * input.b;
  assert.equal(await page.locator('.tool-result').innerText(), `Tool result: ${product}`);
  assert.match(await page.locator('.turn.assistant .continuation').last().innerText(), new RegExp(`The calculator tool returned: ${product}`));
  await screenshot(page, '22-tools');
  // Two tools named at once are called together and answered in one turn.
  await page.fill('#message', 'Check the periodic table for helium and read the clock in UTC');
  await page.click('#send');
  await replyDone(page, 4);
  const calls = await page.locator('.tool-call').allInnerTexts();
  assert.deepEqual(calls.slice(1).map((line) => line.split(' ')[1]).sort(), ['clock', 'periodic_table']);
  const results = (await page.locator('.turn.tools').last().locator('.tool-result').allInnerTexts()).join('\n');
  assert.match(results, /helium: symbol He, atomic number 2, atomic weight 4\.0026/);
  // The clock's answer: ISO time in UTC (or the browser's local time, when the server picks it).
  const year = String(new Date().getUTCFullYear());
  assert.match(results, new RegExp(`(${year}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z|${year} \\d\\d:\\d\\d:\\d\\d GMT)`));
  assert.equal(await page.locator('#error').count(), 0);
  await screenshot(page, '23-tools-parallel');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a reply cut by an error event or a dropped connection is continued into one reply', async () => {
  const { page, problems } = await openDemo();
  let replies = 0;
  for (const [fault, shot] of [['error-after=5', '24-cut-by-error'], ['drop-after=1500', '25-cut-by-drop']]) {
    await page.selectOption('#fault', fault);
    await page.fill('#message', 'Tell me a story about resuming');
    await page.click('#send');
    await replyDone(page, ++replies);
    const last = () => page.locator('.turn.assistant').last();
    const cut = await last().locator('.continuation').innerText();
    assert.match((await last().locator('.info').allInnerTexts()).join(' '), /cut short/);
    await page.locator('#error').waitFor();
    await screenshot(page, shot);
    // The continuation goes without the fault: the same request, the text so far as a prefill.
    await page.selectOption('#fault', '');
    await last().getByRole('button', { name: 'Continue this reply from where it was cut' }).click();
    await replyDone(page, replies);
    const whole = await last().locator('.continuation').innerText();
    assert.ok(whole.startsWith(cut.trimEnd()), `${JSON.stringify(whole.slice(0, 80))} continues ${JSON.stringify(cut)}`);
    assert.ok(whole.length > cut.length + 20, 'more arrived');
    assert.equal(whole.split('Once upon a time').length, 2, `the story is told once, continued where it was cut: ${whole}`);
    const info = (await last().locator('.info').allInnerTexts()).join(' ');
    assert.match(info, /stop: end_turn/);
    assert.match(info, /continued in a second request: the first in \d+ · out \d+, the continuation in \d+ · out \d+/);
    assert.doesNotMatch(info, /cut short/);
    assert.equal(await page.locator('#error').count(), 0);
    assert.equal(await page.locator('.continue').count(), 0, 'nothing left to continue');
  }
  assert.equal(await page.locator('.turn.user').count(), 2, 'one turn each, continued in place');
  await screenshot(page, '26-continued');
  // the browser reports the dropped connection on its own; nothing else may appear
  assert.deepEqual(problems.filter((text) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|network error/i.test(text)), []);
  await page.close();
});
