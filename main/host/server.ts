import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_EVENTS_PATH, API_INVOKE_PATH, SESSION_HEADER, TOKEN_FRAGMENT_KEY, TOKEN_HEADER } from '../../common/api/http';
import type { App } from '../app';
import { logError } from '../log';
import { CONTENT_SECURITY_POLICY } from '../renderer-assets';
import { readStatic } from './static';

export interface HostOptions {
  app: App;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; random per launch otherwise. */
  token?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const LOOPBACK = '127.0.0.1';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The loopback host: the built renderer plus the same dispatcher the Electron window uses.
 * It listens on 127.0.0.1 only; every API call needs the per-launch token, and requests whose
 * Host header is not our loopback address are refused (no DNS-rebinding from a web page).
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = options.port ?? 0;
  const eventStreams = new Set<ServerResponse>();
  const unsubscribe = options.app.events.subscribe((event, payload) => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const stream of eventStreams) stream.write(frame);
  });

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      logError('HTTP-запрос', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Внутренняя ошибка программы.' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== `${LOOPBACK}:${port}` && host !== `localhost:${port}`) {
      send(res, 421, 'text/plain; charset=utf-8', 'Неверный адрес.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);

    if (url.pathname === API_INVOKE_PATH) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'Только POST.');
      if (!sameToken(req.headers[TOKEN_HEADER] as string | undefined, token)) {
        return sendJson(res, 401, { ok: false, error: { code: 'no_session', message: 'Откройте программу по адресу, который она напечатала при запуске.' } });
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid_params', message: 'Запрос не разобран: ожидался JSON.' } });
      }
      const { method, params } = (body ?? {}) as { method?: unknown; params?: unknown };
      const response = await options.app.dispatch({
        method: typeof method === 'string' ? method : '',
        params,
        sessionId: (req.headers[SESSION_HEADER] as string | undefined) ?? null,
      });
      return sendJson(res, 200, response);
    }

    if (url.pathname === API_EVENTS_PATH) {
      if (!sameToken(url.searchParams.get('token'), token)) return send(res, 401, 'text/plain; charset=utf-8', 'Нет доступа.');
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      eventStreams.add(res);
      req.on('close', () => eventStreams.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Метод не поддерживается.');
    const file = await readStatic(options.rendererDir, url.pathname);
    if (!file) {
      // Client-side routes fall back to the app page; missing assets are a plain 404.
      if (!url.pathname.includes('.')) {
        const index = await readStatic(options.rendererDir, '/index.html');
        if (index) return send(res, 200, index.type, index.body);
        return send(res, 500, 'text/plain; charset=utf-8', 'Интерфейс не собран: выполните npm run build.');
      }
      return send(res, 404, 'text/plain; charset=utf-8', 'Не найдено.');
    }
    return send(res, 200, file.type, file.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}/#${TOKEN_FRAGMENT_KEY}=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const stream of eventStreams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
