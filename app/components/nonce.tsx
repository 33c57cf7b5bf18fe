import { createContext, useContext } from 'react';

/** The Content-Security-Policy nonce of this response (server.ts makes one per request). */
const NonceContext = createContext('');
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
