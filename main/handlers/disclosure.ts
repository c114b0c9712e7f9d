import type { disclosureMethods } from '../../common/api/disclosure-contract';
import type { Handler } from '../context';

type Methods = keyof typeof disclosureMethods;

export const disclosureHandlers: { [M in Methods]: Handler<M> } = {};
