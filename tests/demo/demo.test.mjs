// The demo page (www/, built by `trunk build --release` into target/demo-dist, or $DEMO_DIST)
// in headless Chromium against the local Messages API server, paced so that streaming is
// visible (tests/demo/harness.mjs). Faults come from the page's own "Simulate a failure" menu
// (the server's model suffix). Screenshots of each state go to target/demo-screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { STORY, messageRequests, openDemo, png, replyDone, screenshot, watchLiveText, watchShifts } from './harness.mjs';

let fullStory = '';

test('a message sent with Enter streams its reply in several steps, with stop reason, usage and request-id', async () => {
  const { page, problems } = await openDemo();
  await screenshot(page, '01-empty');
  await page.fill('#message', STORY);
  await watchShifts(page);
  const watching = watchLiveText(page);
  await page.press('#message', 'Enter');
  await page.waitForFunction(() => (document.querySelector('.turn.live .continuation')?.textContent.length ?? 0) > 40);
  await screenshot(page, '02-streaming');
  const steps = await watching;
  const reply = await replyDone(page, 1);
  fullStory = reply.text;
  assert.ok(steps.length >= 5, `the text arrived in ${steps.length} steps`);
  for (let i = 1; i < steps.length; i++) {
    assert.ok(steps[i].startsWith(steps[i - 1]), 'each step extends the previous one');
  }
  assert.ok(reply.text.length > 100, reply.text);
  const shifts = await page.evaluate(() => window.shifts);
  assert.ok(shifts.reduce((sum, value) => sum + value, 0) < 0.01, `layout shifts while streaming: ${shifts}`);
  assert.ok(reply.text.startsWith(steps.at(-1).slice(0, 40)), 'the kept reply is what streamed');
  const info = reply.info.join(' ');
  assert.match(info, /stop: end_turn/);
  assert.match(info, /tokens in \d+ · out \d+ · cache write 0 · cache read 0/);
  assert.match(info, /request-id req_\w+/);
  assert.equal(await page.locator('.turn.user .text').innerText(), STORY);
  assert.equal(await page.inputValue('#message'), '', 'the composer is cleared');
  await screenshot(page, '03-reply');
  assert.deepEqual(problems, []);
  await page.close();
});

/** Files (name, type, bytes) as a DataTransfer inside the page, for drop and paste events. */
function dataTransfer(page, files) {
  return page.evaluateHandle((files) => {
    const transfer = new DataTransfer();
    for (const { name, type, bytes } of files) transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
    return transfer;
  }, files.map(({ name, type, buffer }) => ({ name, type, bytes: [...buffer] })));
}

test('PNGs uploaded, dropped and pasted are shown as thumbnails and described by the server', async () => {
  const { page, problems } = await openDemo();
  await page.setInputFiles('#image-files', { name: 'red.png', mimeType: 'image/png', buffer: png(64, 48, [208, 16, 16]) });
  const dropped = await dataTransfer(page, [{ name: 'blue.png', type: 'image/png', buffer: png(32, 32, [16, 16, 208]) }]);
  await page.dispatchEvent('.composer', 'drop', { dataTransfer: dropped });
  const pasted = await dataTransfer(page, [{ name: 'green.png', type: 'image/png', buffer: png(20, 10, [16, 160, 16]) }]);
  await page.evaluate(
    (clipboardData) => document.querySelector('#message').dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true })),
    pasted,
  );
  await page.waitForFunction(() => document.querySelectorAll('.thumbs.pending img').length === 3);
  assert.deepEqual((await page.locator('.thumbs.pending figcaption').allInnerTexts()).sort(), ['blue.png', 'green.png', 'red.png']);
  await page.fill('#message', 'What is in these images?');
  await screenshot(page, '04-image-attached');
  await page.click('#send');
  const reply = await replyDone(page, 1);
  assert.match(reply.text, /64×48 PNG image, mostly red/);
  assert.match(reply.text, /32×32 PNG image, mostly blue/);
  assert.match(reply.text, /20×10 PNG image, mostly green/);
  assert.equal(await page.locator('.turn.user img').count(), 3, 'the sent turn keeps its thumbnails');
  assert.equal(await page.locator('.thumbs.pending img').count(), 0);
  await screenshot(page, '05-image-reply');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the JSON prefill preset gives a reply shown apart from the prefill and parsed as JSON, and structured outputs where prefill is refused', async () => {
  const { page, problems } = await openDemo();
  await page.getByRole('button', { name: 'JSON object' }).click();
  assert.equal(await page.inputValue('#prefill'), '{"name": "');
  await page.click('#send');
  const reply = await replyDone(page, 1);
  assert.equal(reply.prefill, '{"name": "');
  assert.ok(!reply.text.startsWith('{'), 'the continuation does not repeat the prefill');
  const parsed = JSON.parse(await page.locator('.turn.assistant .json pre').innerText());
  assert.equal(typeof parsed.name, 'string');
  assert.deepEqual(parsed, JSON.parse(reply.prefill + reply.text), 'the pretty JSON is prefill + continuation');
  await screenshot(page, '06-prefill-json');
  // a model that refuses prefill gets a notice, and the request is refused before sending
  const before = messageRequests().length;
  await page.selectOption('#model', 'claude-opus-4-6');
  await page.locator('#prefill-notice').waitFor();
  assert.match(await page.locator('#prefill-notice').innerText(), /does not accept prefill.*structured outputs/s);
  await page.fill('#message', 'Another cat, please');
  await page.click('#send');
  await page.locator('#error').waitFor();
  assert.match(await page.locator('#error').innerText(), /InvalidRequestError[\s\S]*prefill/);
  assert.equal(messageRequests().length, before, 'nothing was sent');
  await screenshot(page, '07-prefill-refused');
  // one click asks for the same JSON through structured outputs: the schema, not a prefill
  await page.getByRole('button', { name: 'JSON object' }).click();
  await page.click('#use-structured');
  assert.equal(await page.inputValue('#prefill'), '');
  assert.equal(await page.locator('#prefill-notice').count(), 0);
  const schema = JSON.parse(await page.locator('#output-schema pre').innerText());
  assert.deepEqual(schema.required, ['name', 'age']);
  await page.locator('.code summary').click();
  await page.getByRole('tab', { name: 'Raw request JSON' }).click();
  const request = JSON.parse(await page.locator('.snippet').innerText());
  assert.deepEqual(request.output_config, { format: { type: 'json_schema', schema } });
  await page.click('#send');
  const structured = await replyDone(page, 2);
  assert.equal(structured.prefill, '');
  const object = JSON.parse(await page.locator('.turn.assistant .json pre').last().innerText());
  assert.deepEqual(Object.keys(object).sort(), ['age', 'name']);
  assert.equal(typeof object.name, 'string');
  assert.ok(Number.isInteger(object.age), JSON.stringify(object));
  assert.deepEqual(JSON.parse(structured.text), object, 'the reply is the object itself');
  assert.equal(await page.locator('#error').count(), 0);
  await screenshot(page, '07b-structured-output');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Stop ends the stream and keeps the part that arrived', async () => {
  assert.ok(fullStory, 'the streaming test ran first');
  const { page, problems } = await openDemo();
  await page.fill('#message', STORY);
  await page.click('#send');
  await page.waitForFunction(() => (document.querySelector('.turn.live .continuation')?.textContent.length ?? 0) > 60);
  await page.click('#stop');
  const reply = await replyDone(page, 1);
  assert.ok(reply.text.length >= 60, `kept ${reply.text.length} characters`);
  assert.ok(reply.text.length < fullStory.length, 'the reply was cut');
  assert.ok(fullStory.startsWith(reply.text), 'what was kept is the start of the full reply');
  const info = reply.info.join(' ');
  assert.match(info, /stopped by you/);
  assert.doesNotMatch(info, /end_turn/);
  assert.equal(await page.locator('#error').count(), 0, 'a stop is not shown as an error');
  await screenshot(page, '08-stopped');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 529 then success shows the retry as it happens, then the answer', async () => {
  const { page, problems } = await openDemo();
  await page.selectOption('#fault', 'fail-first=1');
  await page.fill('#message', 'Hello there');
  const logged = messageRequests().length;
  await page.click('#send');
  await page.waitForFunction(() => /retrying in/.test(document.querySelector('#live-status')?.textContent ?? ''), null, {
    polling: 'raf',
  });
  const status = await page.locator('#live-status').innerText();
  await screenshot(page, '09-retrying');
  assert.match(status, /^overloaded \(529\), retrying in 0\.\d s \(retry 1\)$/);
  const reply = await replyDone(page, 1);
  assert.match(reply.text, /hello/i);
  assert.match(reply.info.join(' '), /stop: end_turn/);
  const lines = messageRequests().slice(logged);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0], / 529 /);
  assert.match(lines[1], / 200 /);
  await screenshot(page, '10-after-retry');
  // the browser reports the failed attempt's status on its own; nothing else may appear
  assert.deepEqual(problems.filter((text) => !/status of 529/.test(text)), []);
  await page.close();
});

test('files that are not acceptable images are refused with a reason, and nothing is sent', async () => {
  const { page, problems } = await openDemo();
  const sent = [];
  page.on('request', (request) => request.url().includes('/v1/messages') && sent.push(request.url()));
  const logged = messageRequests().length;
  await page.setInputFiles('#image-files', [
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') },
    { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: png(8, 8, [0, 0, 255]) },
  ]);
  await page.waitForFunction(() => document.querySelectorAll('.attachment-errors li').length === 2);
  const errors = (await page.locator('.attachment-errors li').allInnerTexts()).sort();
  assert.match(errors[0], /^notes\.txt is of type text\/plain: only JPEG, PNG, GIF and WebP/);
  assert.match(errors[1], /^photo\.jpg cannot be sent: declared image\/jpeg but the bytes are PNG/);
  assert.equal(await page.locator('.thumbs.pending img').count(), 0);
  await page.click('#send');
  await page.locator('#error').waitFor();
  assert.match(await page.locator('#error').innerText(), /Type a message or attach an image/);
  assert.deepEqual(sent, []);
  assert.equal(messageRequests().length, logged, 'no request reached the server');
  await screenshot(page, '11-refused-files');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a turn can be edited and resent, deleted, exported, imported, and shown as code', async () => {
  const { page, problems } = await openDemo();
  const texts = (selector) => page.locator(selector).allInnerTexts();
  await page.fill('#message', 'Say exactly: first');
  await page.click('#send');
  assert.equal((await replyDone(page, 1)).text, 'first');
  await page.locator('.turn.user').getByRole('button', { name: 'Edit this message and resend' }).click();
  await page.locator('.editor textarea').fill('Say exactly: second');
  await page.getByRole('button', { name: 'Save and resend' }).click();
  assert.equal((await replyDone(page, 1)).text, 'second');
  assert.deepEqual(await texts('.turn.user .text'), ['Say exactly: second'], 'the old reply is gone');
  // export: the API's messages array
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(exported, [
    { role: 'user', content: 'Say exactly: second' },
    { role: 'assistant', content: 'second' },
  ]);
  // delete the reply, then ask again
  await page.locator('.turn.assistant').getByRole('button', { name: 'Delete this turn' }).click();
  assert.equal(await page.locator('.turn.assistant').count(), 0);
  await page.click('#resend');
  assert.equal((await replyDone(page, 1)).text, 'second');
  // the code for the next request, with the composer's text as its last turn
  await page.fill('#message', 'Say exactly: third');
  await page.locator('.code summary').click();
  const js = await page.locator('.snippet').innerText();
  assert.match(js, /import Anthropic from 'anthropic-wasm';/);
  assert.match(js, /baseURL: "http:\/\/127\.0\.0\.1:\d+", dangerouslyAllowBrowser: true/);
  assert.match(js, /client\.messages\.stream\(\{[\s\S]*"Say exactly: third"/);
  await page.getByRole('tab', { name: 'Rust' }).click();
  assert.match(await page.locator('.snippet').innerText(), /client\.messages\(\)\.stream\(&params/);
  await page.getByRole('tab', { name: 'Raw request JSON' }).click();
  const request = JSON.parse(await page.locator('.snippet').innerText());
  assert.deepEqual(request.messages, [...exported, { role: 'user', content: 'Say exactly: third' }]);
  assert.equal(request.stream, true);
  assert.equal(request.max_tokens, 1024);
  await screenshot(page, '12-code');
  // clear, then import the export
  await page.getByRole('button', { name: 'Clear' }).click();
  assert.equal(await page.locator('.turn').count(), 0);
  await page.setInputFiles('#import', await download.path());
  await page.waitForFunction(() => document.querySelectorAll('.turn').length === 2);
  assert.deepEqual(await texts('.turn .text'), ['Say exactly: second', 'second']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a key typed into the page stays in sessionStorage, is sent as x-api-key with the browser opt-in, and is never shown', async () => {
  const KEY = 'sk-ant-demo-test-KEY-0123456789';
  const { page, problems } = await openDemo();
  const sent = [];
  // The API itself is out of reach here: the browser's requests to it are answered with a
  // 401 whose message quotes the key, as a careless proxy might.
  await page.route('https://api.anthropic.com/**', async (route) => {
    sent.push({ url: route.request().url(), headers: await route.request().allHeaders() });
    await route.fulfill({
      status: 401,
      headers: { 'access-control-allow-origin': '*', 'access-control-expose-headers': '*', 'request-id': 'req_fake401' },
      contentType: 'application/json',
      body: JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } }),
    });
  });
  await page.getByLabel('Anthropic API with my key').check();
  assert.match(await page.locator('.warning').innerText(), /sessionStorage only/);
  assert.match(await page.locator('#base-url').innerText(), /https:\/\/api\.anthropic\.com/);
  await page.fill('#api-key', KEY);
  await page.press('#api-key', 'Tab');
  assert.deepEqual(
    await page.evaluate(() => [sessionStorage.getItem('anthropic-wasm-demo.api-key'), localStorage.length]),
    [KEY, 0],
  );
  await page.getByRole('button', { name: 'Reload models' }).click();
  await page.waitForFunction(() => /Could not list models/.test(document.querySelector('#models-note').textContent));
  await page.fill('#message', 'Hello');
  await page.click('#send');
  await page.locator('#error').waitFor();
  const error = await page.locator('#error').innerText();
  assert.match(error, /AuthenticationError[\s\S]*401 authentication_error[\s\S]*req_fake401/);
  await screenshot(page, '13-key-refused');
  assert.ok(!(await page.locator('body').innerText()).includes(KEY), 'the key is not on the page');
  assert.ok(sent.length >= 2, `${sent.length} requests reached the API`);
  for (const { url, headers } of sent) {
    assert.equal(headers['x-api-key'], KEY);
    assert.equal(headers['anthropic-dangerous-direct-browser-access'], 'true');
    assert.ok(!url.includes(KEY));
  }
  // the key outlives a reload of the tab
  await page.reload();
  assert.equal(await page.inputValue('#api-key'), KEY);
  assert.deepEqual(problems.filter((text) => !/status of 401/.test(text)), []);
  await page.close();
});

test('at phone width nothing overflows sideways and a reply still streams in', async () => {
  const { page, problems } = await openDemo({ width: 390, height: 844 });
  await page.fill('#message', 'What is 6 × 7?');
  await page.click('#send');
  const reply = await replyDone(page, 1);
  assert.match(reply.text, /42/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await screenshot(page, '14-phone', { fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
