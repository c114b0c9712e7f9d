import type { destructionMethods } from '../../common/api/destruction-contract';
import type { Handler } from '../context';

type Methods = keyof typeof destructionMethods;

export const destructionHandlers: { [M in Methods]: Handler<M> } = {};
