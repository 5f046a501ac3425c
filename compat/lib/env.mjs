// Configuration comes only from the environment. Missing values are an error, never a skip:
// importing this module throws, so every test file that uses it fails loudly.
function required(name) {
  const value = process.env[name];
  if (value == null || value.trim() === '') {
    throw new Error(
      `${name} is not set. Run the compat tests as: ` +
        'REPRISE_URL=http://127.0.0.1:8080 REPRISE_API_KEY=rpr_sk_... node --test test/',
    );
  }
  return value.trim();
}

/** Base URL of the running reprise server, without a trailing slash. */
export const BASE_URL = required('REPRISE_URL').replace(/\/+$/, '');
/** An API key of an account on that server. */
export const API_KEY = required('REPRISE_API_KEY');
/** The chat endpoint every AI SDK transport is pointed at. */
export const CHAT_API = `${BASE_URL}/api/chat`;
