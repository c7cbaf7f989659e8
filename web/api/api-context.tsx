import { createContext, useContext } from 'react';
import type { ApiClient } from './api-client.js';

const ApiContext = createContext<ApiClient | null>(null);

/** Makes an API client available to {@link useApi}. */
export const ApiProvider = ApiContext.Provider;

/** The API client from the nearest ApiProvider. */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi needs an ApiProvider');
  return api;
}
