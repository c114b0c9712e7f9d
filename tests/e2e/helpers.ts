import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { MethodName, Params, Result } from '../../common/api/contract';
import { API_INVOKE_PATH, SESSION_HEADER, TOKEN_FRAGMENT_KEY, TOKEN_HEADER } from '../../common/api/http';
import { readState, type E2eState } from './env';

export type Account = E2eState['users'][keyof E2eState['users']];

export const state = readState();

/** Opens the app as the CLI printed it (with the launch token) and signs in. */
export async function login(page: Page, user: Account, url = state.url): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Вход' })).toBeVisible();
  await page.getByLabel('Логин').fill(user.login);
  await page.getByLabel('Пароль', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();
}

export function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Разделы' });
}

export async function openSection(page: Page, title: string): Promise<void> {
  await nav(page).getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

/** A login nobody used yet in this run. */
export function uniqueLogin(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

/** The administrator creates an account through the Пользователи screen. */
export async function createUserViaUi(page: Page, user: Account, roleLabel: string): Promise<void> {
  await openSection(page, 'Пользователи');
  await page.getByRole('button', { name: 'Создать пользователя…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Новый пользователь' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Логин').fill(user.login);
  await dialog.getByLabel('ФИО').fill(user.fullName);
  await dialog.getByLabel('Роль', { exact: true }).selectOption({ label: roleLabel });
  await dialog.getByLabel('Пароль', { exact: true }).fill(user.password);
  await dialog.getByLabel('Пароль ещё раз').fill(user.password);
  await dialog.getByRole('button', { name: 'Создать' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(user.login) })).toBeVisible();
}

/** A second, independent window (its own sessionStorage, so its own session). */
export async function otherWindow(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** Direct API calls (to prepare data fast); the window itself is always driven through the UI. */
export async function apiSession(request: APIRequestContext, user: Account, url = state.url) {
  const base = new URL(url);
  const token = new URLSearchParams(base.hash.slice(1)).get(TOKEN_FRAGMENT_KEY) ?? '';
  let sessionId: string | null = null;
  async function call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const headers: Record<string, string> = { [TOKEN_HEADER]: token };
    if (sessionId) headers[SESSION_HEADER] = sessionId;
    const response = await request.post(new URL(API_INVOKE_PATH, base.origin).toString(), { headers, data: { method, params } });
    const body = (await response.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? 'refused'}`);
    return body.result as Result<M>;
  }
  sessionId = (await call('auth.login', { login: user.login, password: user.password })).sessionId;
  return { call };
}
