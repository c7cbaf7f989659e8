import {
  createContext,
  useContext,
  useSyncExternalStore,
  type AnchorHTMLAttributes,
  type MouseEvent,
} from 'react';
import { isPlainLeftClick, type Router } from './router.js';

const RouterContext = createContext<Router | null>(null);

/** Makes `router` available to {@link useRouter}, {@link usePath} and {@link Link}. */
export const RouterProvider = RouterContext.Provider;

/** The router from the nearest RouterProvider. */
export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (router === null) throw new Error('useRouter needs a RouterProvider');
  return router;
}

/** The current path; re-renders on every change. */
export function usePath(): string {
  const router = useRouter();
  return useSyncExternalStore(router.subscribe, router.path, router.path);
}

/** Props of {@link Link}: an anchor whose `href` is a same-origin path. */
export type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An anchor that navigates through the router; modified clicks keep their browser meaning. */
export function Link({ href, onClick, target, ...rest }: LinkProps) {
  const router = useRouter();
  const handle = (event: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(event);
    if (!isPlainLeftClick(event) || (target !== undefined && target !== '_self')) return;
    event.preventDefault();
    router.navigate(href);
  };
  return <a href={href} target={target} onClick={handle} {...rest} />;
}
