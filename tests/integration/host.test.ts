import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../main/host/server';
import { ADMIN, openTestApp, type TestApp } from '../support/app';

let t: TestApp;
let host: RunningHost;
let base: string;

beforeEach(async () => {
  t = await openTestApp();
  const renderer = join(t.dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(t.dir, 'secret.txt'), 'not for the browser');
  host = await startHost({ app: t.app, rendererDir: renderer, port: 0 });
  base = `http://127.0.0.1:${host.port}`;
});
afterEach(async () => {
  await host.close();
  await t.close();
});

function invoke(method: string, params: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-school-office-token': host.token, ...headers },
    body: JSON.stringify({ method, params }),
  });
}

/** A raw request, so the Host header can be forged the way a DNS-rebinding page would. */
function rawGet(path: string, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the loopback host', () => {
  it('listens on 127.0.0.1 and prints the token only in the URL fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
  });

  it('serves the renderer with a strict CSP, and nothing outside its folder', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*object-src 'none'/);
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/some/route`)).status).toBe(200);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect(await rawGet('/../secret.txt', `127.0.0.1:${host.port}`)).not.toBe(200);
    expect(await rawGet('/%2e%2e/secret.txt', `127.0.0.1:${host.port}`)).not.toBe(200);
  });

  it('refuses requests addressed to another host name', async () => {
    expect(await rawGet('/', `evil.example:${host.port}`)).toBe(421);
  });

  it('calls the dispatcher with the launch token and the session header', async () => {
    expect((await invoke('app.status', {}, { 'x-school-office-token': 'wrong' })).status).toBe(401);
    const setup = (await (await invoke('auth.setup', ADMIN)).json()) as { ok: boolean; result: { sessionId: string } };
    expect(setup.ok).toBe(true);
    const noSession = (await (await invoke('users.list', {})).json()) as { ok: boolean; error: { code: string } };
    expect(noSession).toMatchObject({ ok: false, error: { code: 'no_session' } });
    const users = (await (await invoke('users.list', {}, { 'x-school-office-session': setup.result.sessionId })).json()) as {
      ok: boolean;
      result: { users: unknown[] };
    };
    expect(users.ok).toBe(true);
    expect(users.result.users).toHaveLength(1);
    const broken = await fetch(`${base}/api/invoke`, { method: 'POST', headers: { 'x-school-office-token': host.token }, body: '{oops' });
    expect(broken.status).toBe(400);
  });

  it('streams events to a client holding the token', async () => {
    expect((await fetch(`${base}/api/events?token=wrong`)).status).toBe(401);
    const controller = new AbortController();
    const response = await fetch(`${base}/api/events?token=${host.token}`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    t.app.events.emit('job.progress', { jobId: 'j1', done: 5, total: 10, stage: 'Проверка' });
    let text = '';
    while (!text.includes('"jobId":"j1"')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toContain('data: {"event":"job.progress","payload":{"jobId":"j1","done":5,"total":10,"stage":"Проверка"}}');
  });
});
