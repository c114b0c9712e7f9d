import type { consentMethods } from '../../common/api/consents-contract';
import type { Handler } from '../context';

type Methods = keyof typeof consentMethods;

export const consentHandlers: { [M in Methods]: Handler<M> } = {};
