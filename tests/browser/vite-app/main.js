// Streams a reply from the API at `?api=URL` into the page, as an app would; the test reads
// `window.outcome` and the page's text.
import Anthropic from 'anthropic-wasm';

const out = document.getElementById('out');

async function run(baseURL) {
  const client = new Anthropic({ apiKey: 'sk-vite-app', baseURL, dangerouslyAllowBrowser: true });
  const deltas = [];
  const stream = client.messages
    .stream({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'count to 12' }] })
    .on('text', (delta) => {
      deltas.push(delta);
      out.textContent += delta;
    });
  const message = await stream.finalMessage();
  return { deltas, text: message.content[0].text, requestId: stream.request_id };
}

window.outcome = run(new URLSearchParams(location.search).get('api')).catch((error) => ({
  error: `${error.constructor.name}: ${error.message}`,
}));
