import { listAudit, verifyAudit } from '../audit/log';
import type { Handler } from '../context';

export const list: Handler<'audit.list'> = async (ctx, params) => listAudit(ctx.db, params);

export const verify: Handler<'audit.verify'> = async (ctx) => verifyAudit(ctx.db);
