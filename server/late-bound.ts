import { AppError } from './errors.js';

/**
 * A stand-in for a dependency that becomes available after the server starts listening (the
 * database opens after /healthz already answers). Calls before `set` fail with SERVICE_NOT_READY.
 */
export function lateBound<T extends object>(
  name: string,
): { proxy: T; set(value: T): void; isSet(): boolean } {
  let target: T | undefined;
  const proxy = new Proxy({} as T, {
    get(_empty, property) {
      if (target === undefined) {
        return () =>
          Promise.reject(new AppError('SERVICE_NOT_READY', `${name} is starting up; retry in a moment.`));
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    proxy,
    set: (value) => {
      target = value;
    },
    isSet: () => target !== undefined,
  };
}
